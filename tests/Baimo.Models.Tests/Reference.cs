using System.Text.Json;
using Baimo.Testing;

namespace Baimo.Models.Tests;

/// <summary>Reads an oracle model's reference JSON and its float32 logits files.</summary>
public sealed class Reference
{
    public required JsonElement Json { get; init; }
    public required string ModelPath { get; init; }
    public required float[] Logits { get; init; }      // [rows][vocab]
    public required float[] StepLogits { get; init; }  // [generated][vocab]
    public required int Vocab { get; init; }

    public int[] Ids(string property) => Json.GetProperty(property).EnumerateArray().Select(e => e.GetInt32()).ToArray();
    public int[] GreedyIds => Json.GetProperty("greedy").GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
    public float[] Margins => Json.GetProperty("greedy").GetProperty("top1_top2_margins").EnumerateArray().Select(e => e.GetSingle()).ToArray();

    public static Reference Load(params string[] refJsonPath)
    {
        var path = Oracle.Path(refJsonPath);
        var dir = Path.GetDirectoryName(path)!;
        var json = JsonDocument.Parse(File.ReadAllBytes(path)).RootElement;
        var logitsFile = json.GetProperty("logits").GetProperty("file").GetString()!;
        int vocab = json.GetProperty("n_vocab").GetInt32();
        var stepName = logitsFile.Replace(".logits.bin", ".steplogits.bin");
        return new Reference
        {
            Json = json,
            ModelPath = Path.Combine(dir, json.GetProperty("model_file").GetString()!),
            Logits = ReadFloats(Path.Combine(dir, logitsFile)),
            StepLogits = File.Exists(Path.Combine(dir, stepName)) ? ReadFloats(Path.Combine(dir, stepName)) : [],
            Vocab = vocab,
        };
    }

    public static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var result = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, result, 0, result.Length * 4);
        return result;
    }
}

public static class Metrics
{
    /// <summary>Normalised mean squared error Σ(a−r)² / Σr², in double.</summary>
    public static double Nmse(ReadOnlySpan<float> actual, ReadOnlySpan<float> reference)
    {
        double num = 0, den = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            double d = actual[i] - (double)reference[i];
            num += d * d;
            den += (double)reference[i] * reference[i];
        }
        return num / den;
    }

    public static double MaxAbs(ReadOnlySpan<float> actual, ReadOnlySpan<float> reference)
    {
        double m = 0;
        for (int i = 0; i < reference.Length; i++) m = Math.Max(m, Math.Abs(actual[i] - (double)reference[i]));
        return m;
    }

    /// <summary>Index of the largest value; the lowest index wins ties, as the reference's greedy does.</summary>
    public static int Argmax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int i = 1; i < row.Length; i++) if (row[i] > row[best]) best = i;
        return best;
    }

    /// <summary>Top-1 minus top-2 value.</summary>
    public static float Margin(ReadOnlySpan<float> row)
    {
        float a = float.NegativeInfinity, b = float.NegativeInfinity;
        foreach (var v in row)
        {
            if (v > a) { b = a; a = v; }
            else if (v > b) b = v;
        }
        return a - b;
    }
}
