using System.CommandLine;
using System.Text.Json;
using Baimo.Generation;
using Baimo.Models;

namespace Baimo.Cli.Commands;

/// <summary><c>baimo run -m MODEL -p PROMPT [-n N] [sampling…] [--json]</c>: continues a prompt and streams the text.</summary>
public static class RunCommand
{
    public static Command Build()
    {
        var model = CommonOptions.Model();
        var prompt = new Option<string>("--prompt", "-p") { Description = "The text to continue", Required = true };
        var n = new Option<int>("--n-predict", "-n") { Description = "Most tokens to generate (default 256; -1 = until the context is full)", DefaultValueFactory = _ => 256 };
        var stop = new Option<string[]>("--stop") { Description = "Stop when this text appears (repeatable)", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with prompt ids, ids, text and timings instead of streaming" };
        var parseSpecial = new Option<bool>("--parse-special") { Description = "Treat special-token text in the prompt as special tokens" };
        var ignoreEos = new Option<bool>("--ignore-eos") { Description = "Keep generating after end-of-generation tokens" };
        var threads = CommonOptions.Threads();
        var ctx = CommonOptions.Context(0);
        var sampling = new CommonOptions.Sampling();
        var cmd = new Command("run", "Continue a prompt with a model, streaming the generated text") { model, prompt, n, stop, json, parseSpecial, ignoreEos, threads, ctx };
        sampling.AddTo(cmd);
        cmd.SetAction((pr, ct) =>
        {
            var samplingOptions = sampling.Read(pr);
            using var m = ModelRegistry.LoadDecoder(ModelPaths.Resolve(pr.GetValue(model)!));
            using var session = m.CreateSession(pr.GetValue(ctx), pr.GetValue(threads));
            var ids = m.Tokenizer.Encode(pr.GetValue(prompt)!, addSpecial: true, parseSpecial: pr.GetValue(parseSpecial));
            var options = new GenerationOptions
            {
                MaxTokens = pr.GetValue(n),
                Stop = pr.GetValue(stop) ?? [],
                IgnoreEndOfGeneration = pr.GetValue(ignoreEos),
                Sampling = samplingOptions,
            };
            var o = pr.InvocationConfiguration.Output;
            bool asJson = pr.GetValue(json);
            var result = new TextGenerator(session).Generate(ids, options, asJson ? null : chunk =>
            {
                o.Write(chunk.Text);
                o.Flush();
            }, ct);
            if (asJson) WriteJson(o, result);
            else o.WriteLine();
            return Task.FromResult(Cli.Ok);
        });
        return cmd;
    }

    private static void WriteJson(TextWriter o, GenerationResult r)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("prompt_ids");
            foreach (var id in r.PromptIds) w.WriteNumberValue(id);
            w.WriteEndArray();
            w.WriteStartArray("ids");
            foreach (var id in r.Ids) w.WriteNumberValue(id);
            w.WriteEndArray();
            w.WriteString("text", r.Text);
            w.WriteString("finish_reason", r.FinishReason switch
            {
                FinishReason.Stop => "stop",
                FinishReason.Length => "length",
                FinishReason.ContextFull => "context_full",
                _ => "cancelled",
            });
            w.WriteStartObject("timings");
            w.WriteNumber("prompt_tokens", r.PromptEvaluated);
            w.WriteNumber("prompt_ms", Math.Round(r.PromptTime.TotalMilliseconds, 3));
            w.WriteNumber("prompt_tokens_per_s", Math.Round(r.PromptTokensPerSecond, 2));
            w.WriteNumber("gen_tokens", r.Ids.Length);
            w.WriteNumber("gen_ms", Math.Round(r.GenerationTime.TotalMilliseconds, 3));
            w.WriteNumber("gen_tokens_per_s", Math.Round(r.GenerationTokensPerSecond, 2));
            w.WriteEndObject();
            w.WriteEndObject();
        }
        o.WriteLine(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
    }
}
