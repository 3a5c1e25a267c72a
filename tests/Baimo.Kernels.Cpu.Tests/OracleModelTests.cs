using Baimo.Formats.Gguf;
using Baimo.Tensors;
using Baimo.Testing;

namespace Baimo.Kernels.Cpu.Tests;

/// <summary>Real tensors of the synth-llama oracle models (written by llama-quantize), one file per type.</summary>
public unsafe class OracleModelTests
{
    public static IEnumerable<object[]> Types => TestData.Types.Select(t => new object[] { t });

    private static readonly string[] Tensors = ["blk.0.attn_q.weight", "blk.1.attn_k.weight", "blk.2.ffn_down.weight", "blk.3.ffn_gate.weight", "output.weight"];

    [Theory]
    [MemberData(nameof(Types))]
    public void RealTensorsMatchTheReference(WeightType type)
    {
        using var file = GgufFile.Open(Oracle.Path("models", "synth-llama", $"synth-llama-{type}.gguf"));
        using var pool = new CpuThreadPool(2);
        using var ctx = new MatMulContext(pool);
        const int tokens = 6;
        foreach (var name in Tensors)
        {
            var t = file.GetTensor(name);
            Assert.Equal(type, t.Type);
            int cols = (int)t.Shape[0], rows = (int)t.Shape[1];
            byte* p = file.GetTensorPointer(t);
            var x = TestData.Floats(new Random(cols + rows), tokens * cols);
            var fast = WeightMatrix.Create(name, type, p, rows, cols);
            var scalar = WeightMatrix.Create(name, type, p, rows, cols, scalar: true);
            var yf = new float[tokens * rows];
            var ys = new float[tokens * rows];
            fast.Multiply(x, tokens, yf, ctx);
            scalar.Multiply(x, tokens, ys, ctx);
            var (reference, mag) = TestData.Reference(type, new ReadOnlySpan<byte>(p, (int)t.ByteSize), rows, cols, x, tokens);
            for (int i = 0; i < reference.Length; i++)
            {
                Assert.True(Math.Abs(yf[i] - reference[i]) <= 2e-6 * mag[i] + 1e-30, $"{name} fast [{i}]: {yf[i]} vs {reference[i]}");
                Assert.True(Math.Abs(ys[i] - reference[i]) <= 2e-6 * mag[i] + 1e-30, $"{name} scalar [{i}]: {ys[i]} vs {reference[i]}");
            }
        }
    }

    /// <summary>GetRow reproduces ggml's to_float of the first 8 rows of blk.0.attn_q.weight bit for bit.</summary>
    [Theory]
    [MemberData(nameof(Types))]
    public void GetRowMatchesGgml(WeightType type)
    {
        using var file = GgufFile.Open(Oracle.Path("models", "synth-llama", $"synth-llama-{type}.gguf"));
        var t = file.GetTensor("blk.0.attn_q.weight");
        int cols = (int)t.Shape[0], rows = (int)t.Shape[1];
        var m = WeightMatrix.Create(t.Name, type, file.GetTensorPointer(t), rows, cols);
        var expected = File.ReadAllBytes(Oracle.Path("models", "synth-llama", "quant-ref", $"{type}.attn_q.rows0-7.f32.bin"));
        var row = new float[cols];
        for (int r = 0; r < 8; r++)
        {
            m.GetRow(r, row);
            for (int c = 0; c < cols; c++)
                Assert.Equal(BitConverter.ToUInt32(expected, 4 * (r * cols + c)), BitConverter.SingleToUInt32Bits(row[c]));
        }
    }
}
