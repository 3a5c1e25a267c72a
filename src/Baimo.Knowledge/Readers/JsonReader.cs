using System.Globalization;
using System.Text;
using System.Text.Json;
using Baimo.Knowledge.Documents;

namespace Baimo.Knowledge.Readers;

/// <summary>
/// .json: flattened to one "path: value" paragraph per leaf ("orders[2].customer.name: 王芳"), so each fact
/// keeps the keys that explain it however the chunker cuts. An array of plain values is one leaf
/// ("tags: a, b, c"). A root that is a plain value is one paragraph.
/// </summary>
public sealed class JsonReader : IDocumentReader
{
    public IReadOnlyCollection<string> Extensions { get; } = [".json"];

    public ExtractedDocument Read(Stream content, string fileName)
    {
        var text = TextDecoder.ReadAll(content, fileName);
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(text, new JsonDocumentOptions
            {
                AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip,
                MaxDepth = 256,
            });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : "";
            throw new DocumentReadException(fileName, $"invalid JSON{where}", e);
        }
        using (json)
        {
            var blocks = new BlockBuilder();
            Flatten(json.RootElement, "", blocks);
            return blocks.Build();
        }
    }

    static void Flatten(JsonElement e, string path, BlockBuilder blocks)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                    Flatten(p.Value, path.Length == 0 ? p.Name : $"{path}.{p.Name}", blocks);
                break;
            case JsonValueKind.Array when e.EnumerateArray().All(IsScalar):
                if (e.GetArrayLength() > 0) Leaf(path, string.Join(", ", e.EnumerateArray().Select(Scalar)), blocks);
                break;
            case JsonValueKind.Array:
                int i = 0;
                foreach (var item in e.EnumerateArray()) Flatten(item, $"{path}[{i++}]", blocks);
                break;
            default:
                Leaf(path, Scalar(e), blocks);
                break;
        }
    }

    static void Leaf(string path, string value, BlockBuilder blocks)
    {
        if (value.Length == 0) return;
        blocks.Add(BlockKind.Paragraph, path.Length == 0 ? value : $"{path}: {value}");
    }

    static bool IsScalar(JsonElement e) => e.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array);

    static string Scalar(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString() ?? "",
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l.ToString(CultureInfo.InvariantCulture) : e.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "", // null says nothing worth indexing
    };
}
