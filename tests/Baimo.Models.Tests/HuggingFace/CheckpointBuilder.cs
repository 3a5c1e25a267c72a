using System.Text.Json;
using Baimo.Formats.Safetensors;

namespace Baimo.Models.Tests.HuggingFace;

/// <summary>Writes a Hugging Face model directory (config.json + model.safetensors) for tests.</summary>
internal sealed class CheckpointBuilder
{
    public Dictionary<string, object> Config { get; } = [];
    public SafetensorsWriter Weights { get; } = new();

    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), JsonSerializer.Serialize(Config));
        Weights.Write(Path.Combine(directory, "model.safetensors"));
    }

    /// <summary>Random values of a random-weight model: uniform in ±<paramref name="scale"/>, encoded in <paramref name="dtype"/>.</summary>
    public void AddRandom(Random rnd, string name, string dtype, long[] shape, double scale, double offset = 0)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        var values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (float)(offset + (rnd.NextDouble() * 2 - 1) * scale);
        Weights.Add(name, dtype, shape, Encode(values, dtype));
    }

    public static byte[] Encode(float[] values, string dtype)
    {
        switch (dtype)
        {
            case "F32":
                return System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
            case "F16":
            {
                var halves = values.Select(v => (Half)v).ToArray();
                return System.Runtime.InteropServices.MemoryMarshal.AsBytes(halves.AsSpan()).ToArray();
            }
            case "BF16":
            {
                var b = new byte[values.Length * 2];
                for (int i = 0; i < values.Length; i++)
                {
                    uint bits = BitConverter.SingleToUInt32Bits(values[i]);
                    ushort top = (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16); // round to nearest even
                    b[2 * i] = (byte)top;
                    b[2 * i + 1] = (byte)(top >> 8);
                }
                return b;
            }
            default:
                throw new ArgumentException(dtype);
        }
    }
}
