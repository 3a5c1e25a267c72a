using System.Text;
using System.Text.Json;

namespace Baimo.Benchmarks;

/// <summary>Shared inputs: the reference data folder and a large mixed Chinese/English text built from it.</summary>
public static class BenchText
{
    public static string Shared()
    {
        var env = Environment.GetEnvironmentVariable("BAIMO_SHARED");
        if (!string.IsNullOrEmpty(env)) return env;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Baimo.slnx")))
                return Path.Combine(d.Parent!.FullName, "shared");
        throw new DirectoryNotFoundException("shared data not found (set BAIMO_SHARED)");
    }

    public static string Oracle(params string[] parts) => Path.Combine([Shared(), "oracle", .. parts]);

    /// <summary>
    /// ≈3 MB of UTF-8: every CMRC 2018 passage (Chinese Wikipedia, with numbers and Latin names mixed in),
    /// each followed by an English paragraph, so both scripts and their boundaries are exercised.
    /// </summary>
    public static string MixedChineseEnglish()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Shared(), "data", "cmrc2018", "cmrc2018_dev.json")));
        var english = File.ReadAllText(Oracle("models", "ppl-text.txt")).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var sb = new StringBuilder();
        int i = 0;
        foreach (var article in doc.RootElement.GetProperty("data").EnumerateArray())
            foreach (var para in article.GetProperty("paragraphs").EnumerateArray())
            {
                sb.Append(para.GetProperty("context").GetString()).Append("\n\n");
                sb.Append(english[i++ % english.Length]).Append("\n\n");
            }
        return sb.ToString();
    }
}
