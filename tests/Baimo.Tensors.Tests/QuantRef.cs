using System.Runtime.InteropServices;
using System.Text.Json;
using Baimo.Testing;

namespace Baimo.Tensors.Tests;

/// <summary>
/// The oracle's quant-ref.json: raw rows of blk.0.attn_q.weight of each synth-llama file with ggml's
/// to_float of them, and the x86 activation conversions of actq-input.f32.bin.
/// </summary>
internal static class QuantRef
{
    private static readonly Lazy<JsonDocument> Doc = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path("quant-ref.json"))));

    public static string Path(params string[] parts) =>
        Oracle.Path(["models", "synth-llama", "quant-ref", .. parts]);

    public static JsonElement Root => Doc.Value.RootElement;

    /// <summary>Type names (the keys of dequant.files: "F32", "Q4_K", …).</summary>
    public static IEnumerable<string> DequantTypes =>
        Root.GetProperty("dequant").GetProperty("files").EnumerateObject().Select(p => p.Name).ToArray();

    public static float[] ReadFloats(string file) =>
        MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path(file))).ToArray();

    public static WeightType ParseType(string name) =>
        WeightLayout.TryParse(name, out var t) ? t : throw new ArgumentException($"unknown type {name}");
}
