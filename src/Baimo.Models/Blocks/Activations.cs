
namespace Baimo.Models.Blocks;

/// <summary>Element-wise activations, matching llama.cpp's CPU definitions.</summary>
public static class Activations
{
    /// <summary>SwiGLU's gate: gate[i] = silu(gate[i]) · up[i], silu(x) = x / (1 + e^−x).</summary>
    public static void SiluMultiply(Span<float> gate, ReadOnlySpan<float> up)
    {
        for (int i = 0; i < gate.Length; i++)
        {
            float g = gate[i];
            gate[i] = g / (1.0f + MathF.Exp(-g)) * up[i];
        }
    }

    private const float Sqrt2OverPi = 0.79788456080286535587989211986876f;
    private const float GeluCoefA = 0.044715f;

    /// <summary>
    /// ggml's CPU GELU reads a 65,536-entry table indexed by the input rounded to fp16 and returns the
    /// fp16-rounded tanh-approximation; an exact GELU would differ from the reference by ~7e-5.
    /// </summary>
    private static readonly Lazy<float[]> GeluTable = new(() =>
    {
        var table = new float[65536];
        for (int i = 0; i < 65536; i++)
        {
            float x = (float)BitConverter.UInt16BitsToHalf((ushort)i);
            float g = 0.5f * x * (1.0f + MathF.Tanh(Sqrt2OverPi * x * (1.0f + GeluCoefA * x * x)));
            table[i] = (float)(Half)g;
        }
        return table;
    });

    /// <summary>x[i] = gelu(x[i]) as ggml's CPU backend computes it (fp16 table, identity above 10, zero below −10).</summary>
    public static void Gelu(Span<float> x)
    {
        var table = GeluTable.Value;
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            if (v <= -10.0f) x[i] = 0.0f;
            else if (v >= 10.0f) { }
            else x[i] = table[BitConverter.HalfToUInt16Bits((Half)v)];
        }
    }
}
