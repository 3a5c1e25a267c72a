using System.Text.Json;

namespace Baimo.Models;

/// <summary>
/// Writes every observed activation to <c>DIR/NNN-layerL-name.bin</c> (float32 little-endian, row-major)
/// plus <c>DIR/index.json</c> listing file, name, layer, shape and call order — the format
/// <c>baimo logits --dump-activations DIR</c> produces. Compare two dumps with any array tool.
/// </summary>
public sealed class ActivationDumper : IActivationObserver, IDisposable
{
    private readonly string _dir;
    private readonly List<(string File, string Name, int Layer, int Rows, int Cols)> _entries = [];

    public ActivationDumper(string directory)
    {
        _dir = directory;
        Directory.CreateDirectory(directory);
    }

    public void Observe(string name, int layer, ReadOnlySpan<float> data, int rows, int cols)
    {
        var file = $"{_entries.Count:D4}-{(layer < 0 ? "model" : $"layer{layer}")}-{name}.bin";
        using (var fs = File.Create(Path.Combine(_dir, file)))
            fs.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data[..(rows * cols)]));
        _entries.Add((file, name, layer, rows, cols));
    }

    public void Dispose()
    {
        using var fs = File.Create(Path.Combine(_dir, "index.json"));
        using var w = new Utf8JsonWriter(fs, new JsonWriterOptions { Indented = true });
        w.WriteStartArray();
        foreach (var e in _entries)
        {
            w.WriteStartObject();
            w.WriteString("file", e.File);
            w.WriteString("name", e.Name);
            w.WriteNumber("layer", e.Layer);
            w.WriteStartArray("shape");
            w.WriteNumberValue(e.Rows);
            w.WriteNumberValue(e.Cols);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
