using System.CommandLine;
using System.Text;
using System.Text.Json;
using Baimo.Formats.Gguf;
using Baimo.Tensors;

namespace Baimo.Cli.Commands;

/// <summary><c>baimo inspect MODEL [--json] [--full]</c>: metadata, tensor table, parameter count, file size.</summary>
public static class InspectCommand
{
    private const int ArrayPreview = 8;

    public static Command Build()
    {
        var model = new Argument<string>("MODEL") { Description = "Path of a GGUF model file, or the name of a pulled model" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables" };
        var full = new Option<bool>("--full") { Description = "Print arrays (vocabularies, merges) in full instead of a preview" };
        var cmd = new Command("inspect", "Show a model file's metadata, tensors, parameter count and size") { model, json, full };
        cmd.SetAction(pr =>
        {
            var path = ModelPaths.Resolve(pr.GetValue(model)!);
            if (Directory.Exists(path))
                throw new UsageException($"inspect reads GGUF files; '{pr.GetValue(model)}' is a Hugging Face directory (see its config.json, or 'baimo convert' it first)");
            using var file = GgufFile.Open(path);
            var output = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json)) WriteJson(file, output, pr.GetValue(full));
            else WriteText(file, output, pr.GetValue(full));
            return Cli.Ok;
        });
        return cmd;
    }

    internal static void WriteText(GgufFile f, TextWriter o, bool full)
    {
        o.WriteLine($"file:        {f.Path}");
        o.WriteLine($"size:        {FormatBytes(f.FileSize)} ({f.FileSize:N0} bytes)");
        o.WriteLine($"format:      GGUF v{f.Version}, alignment {f.Alignment}, data at offset {f.DataOffset}");
        o.WriteLine($"arch:        {f.Metadata.GetString("general.architecture") ?? "(none)"}");
        o.WriteLine($"parameters:  {FormatCount(f.ParameterCount)} ({f.ParameterCount:N0})");
        o.WriteLine($"tensors:     {f.Tensors.Count}  [{TypeHistogram(f)}]");
        o.WriteLine();
        o.WriteLine($"metadata ({f.Metadata.Count} keys):");
        int keyWidth = f.Metadata.Keys.Select(k => k.Length).DefaultIfEmpty(0).Max();
        foreach (var (k, v) in f.Metadata)
            o.WriteLine($"  {k.PadRight(keyWidth)}  {ValueText(v, full)}");
        if (f.Tensors.Count == 0) return;
        o.WriteLine();
        o.WriteLine("tensors:");
        int nameWidth = Math.Max(4, f.Tensors.Max(t => t.Name.Length));
        int shapeWidth = Math.Max(5, f.Tensors.Max(t => t.ShapeText.Length));
        o.WriteLine($"  {"name".PadRight(nameWidth)}  {"type",-7}  {"shape".PadRight(shapeWidth)}  {"bytes",12}  {"offset",12}");
        foreach (var t in f.Tensors)
            o.WriteLine($"  {t.Name.PadRight(nameWidth)}  {t.TypeName,-7}  {t.ShapeText.PadRight(shapeWidth)}  {t.ByteSize,12}  {t.Offset,12}");
    }

    private static string TypeHistogram(GgufFile f) =>
        string.Join(", ", f.Tensors.GroupBy(t => t.TypeName).OrderByDescending(g => g.Count()).Select(g => $"{g.Key}: {g.Count()}"));

    private static string ValueText(object v, bool full)
    {
        switch (v)
        {
            case string s: return Quote(s);
            case bool b: return b ? "true" : "false";
            case float x: return x.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            case double x: return x.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            case Array a:
            {
                var elem = ElementTypeName(a);
                int n = full ? a.Length : Math.Min(a.Length, ArrayPreview);
                var sb = new StringBuilder($"[{elem} × {a.Length}] ");
                for (int i = 0; i < n; i++) sb.Append(i == 0 ? "" : ", ").Append(ValueText(a.GetValue(i)!, full));
                if (n < a.Length) sb.Append(", …");
                return sb.ToString();
            }
            default: return Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }
    }

    private static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var ch in s)
        {
            if (ch == '\n') sb.Append("\\n");
            else if (ch == '\t') sb.Append("\\t");
            else if (ch == '\r') sb.Append("\\r");
            else if (ch == '"') sb.Append("\\\"");
            else if (char.IsControl(ch)) sb.Append($"\\u{(int)ch:x4}");
            else sb.Append(ch);
        }
        return sb.Append('"').ToString();
    }

    internal static void WriteJson(GgufFile f, TextWriter o, bool full)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("file", f.Path);
            w.WriteNumber("file_size", f.FileSize);
            w.WriteNumber("version", f.Version);
            w.WriteNumber("alignment", f.Alignment);
            w.WriteNumber("data_offset", f.DataOffset);
            w.WriteString("architecture", f.Metadata.GetString("general.architecture"));
            w.WriteNumber("parameter_count", f.ParameterCount);
            w.WriteStartObject("metadata");
            foreach (var (k, v) in f.Metadata)
            {
                w.WritePropertyName(k);
                WriteJsonValue(w, v, full);
            }
            w.WriteEndObject();
            w.WriteStartArray("tensors");
            foreach (var t in f.Tensors)
            {
                w.WriteStartObject();
                w.WriteString("name", t.Name);
                w.WriteString("type", t.TypeName);
                w.WriteStartArray("shape");
                foreach (var d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteNumber("elements", t.ElementCount);
                w.WriteNumber("bytes", t.ByteSize);
                w.WriteNumber("offset", t.Offset);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        o.WriteLine(Encoding.UTF8.GetString(ms.ToArray()));
    }

    /// <summary>Arrays longer than the preview become {"array_of", "length", "head"} unless --full.</summary>
    private static void WriteJsonValue(Utf8JsonWriter w, object v, bool full)
    {
        switch (v)
        {
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case float x when float.IsFinite(x): w.WriteNumberValue(x); break;
            case double x when double.IsFinite(x): w.WriteNumberValue(x); break;
            case float or double: w.WriteStringValue(Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)); break;
            case ulong x: w.WriteNumberValue(x); break;
            case Array a when full || a.Length <= ArrayPreview:
                w.WriteStartArray();
                foreach (var item in a) WriteJsonValue(w, item!, full);
                w.WriteEndArray();
                break;
            case Array a:
                w.WriteStartObject();
                w.WriteString("array_of", ElementTypeName(a));
                w.WriteNumber("length", a.Length);
                w.WriteStartArray("head");
                for (int i = 0; i < ArrayPreview; i++) WriteJsonValue(w, a.GetValue(i)!, full);
                w.WriteEndArray();
                w.WriteEndObject();
                break;
            default: w.WriteNumberValue(Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)); break;
        }
    }

    /// <summary>GGUF's name for an array's element type: string, float32, uint32, array, …</summary>
    private static string ElementTypeName(Array a) => GgufValues.ElementTagOf(a).ToString().ToLowerInvariant();

    public static string FormatBytes(long n) => n switch
    {
        >= 1L << 30 => $"{n / (double)(1L << 30):F2} GiB",
        >= 1L << 20 => $"{n / (double)(1L << 20):F2} MiB",
        >= 1L << 10 => $"{n / 1024.0:F1} KiB",
        _ => $"{n} B",
    };

    public static string FormatCount(long n) => n switch
    {
        >= 1_000_000_000 => $"{n / 1e9:F2} B",
        >= 1_000_000 => $"{n / 1e6:F2} M",
        >= 1_000 => $"{n / 1e3:F1} K",
        _ => n.ToString(),
    };
}
