using System.Globalization;
using System.Text.Json;

namespace Baimo.Cli.Bench;

/// <summary>llama-bench's two outputs: a markdown table, or a JSON list with its field names.</summary>
public static class BenchOutput
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void WriteHeader(TextWriter o)
    {
        o.WriteLine("| model                          |       size |     params | backend    | threads |            test |                  t/s |");
        o.WriteLine("| ------------------------------ | ---------: | ---------: | ---------- | ------: | --------------: | -------------------: |");
    }

    public static void WriteRow(TextWriter o, BenchResult r)
    {
        string size = r.ModelSize >= 1L << 30 ? $"{r.ModelSize / (double)(1L << 30):F2} GiB" : $"{r.ModelSize / (double)(1L << 20):F2} MiB";
        string pars = r.ParameterCount >= 1_000_000_000 ? $"{r.ParameterCount / 1e9:F2} B" : $"{r.ParameterCount / 1e6:F2} M";
        string ts = $"{r.AvgTs.ToString("F2", Inv)} ± {r.StddevTs.ToString("F2", Inv)}";
        o.WriteLine($"| {r.ModelType,-30} | {size,10} | {pars,10} | {"CPU",-10} | {r.Threads,7} | {r.Test,15} | {ts,20} |");
        o.Flush();
    }

    public static void WriteJson(TextWriter o, IEnumerable<BenchResult> results)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var r in results)
            {
                w.WriteStartObject();
                w.WriteString("model_filename", r.ModelFile);
                w.WriteString("model_type", r.ModelType);
                w.WriteString("type", r.WeightType);
                w.WriteNumber("model_size", r.ModelSize);
                w.WriteNumber("model_n_params", r.ParameterCount);
                w.WriteString("backend", "CPU");
                w.WriteNumber("n_batch", r.Batch);
                w.WriteNumber("n_threads", r.Threads);
                w.WriteString("type_k", "f32");
                w.WriteString("type_v", "f32");
                w.WriteNumber("n_prompt", r.Prompt);
                w.WriteNumber("n_gen", r.Generated);
                w.WriteString("test_time", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", Inv));
                w.WriteNumber("avg_ns", (long)r.AvgNs);
                w.WriteNumber("stddev_ns", (long)r.StddevNs);
                w.WriteNumber("avg_ts", Math.Round(r.AvgTs, 6));
                w.WriteNumber("stddev_ts", Math.Round(r.StddevTs, 6));
                w.WriteStartArray("samples_ns");
                foreach (var s in r.SamplesNs) w.WriteNumberValue((long)s);
                w.WriteEndArray();
                w.WriteStartArray("samples_ts");
                foreach (var s in r.SamplesTs) w.WriteNumberValue(Math.Round(s, 6));
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        o.WriteLine(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
    }
}
