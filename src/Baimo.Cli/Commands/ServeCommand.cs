using System.CommandLine;
using Baimo.Hosting;
using Baimo.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Baimo.Cli.Commands;

/// <summary>
/// <c>baimo serve [-m MODEL] [--max-memory SIZE] [--host 127.0.0.1] [--port 8080] [--parallel N] [--ctx N] [--threads N]
/// [--api-key K | --api-key-file F] [--embedding-model M] [--max-queue N] [--timeout S] [--kb-root DIR]</c>:
/// the OpenAI- and Ollama-compatible HTTP server. Without <c>-m</c> it serves every model in the store by name.
/// </summary>
public static class ServeCommand
{
    public static Command Build()
    {
        var model = new Option<string?>("--model", "-m") { Description = "GGUF model file or pulled model name (default: serve every model in the store by name)" };
        var maxMemory = new Option<string?>("--max-memory") { Description = "Serving the store: memory the loaded models may use together, e.g. 8GiB; least recently used models are unloaded to stay within it (default: no limit)" };
        var host = new Option<string>("--host") { Description = "Address to listen on: an IP address or localhost (default 127.0.0.1, loopback only)", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port (default 8080)", DefaultValueFactory = _ => 8080 };
        var parallel = new Option<int>("--parallel", "-np") { Description = "Slots: requests generated together in one batch (default 4)", DefaultValueFactory = _ => 4 };
        var ctx = new Option<int>("--ctx", "-c") { Description = "Context per slot in tokens (default: the model's, at most 4096)" };
        var threads = CommonOptions.Threads();
        var apiKey = new Option<string?>("--api-key") { Description = "Require 'Authorization: Bearer KEY' on every route but /health" };
        var apiKeyFile = new Option<string?>("--api-key-file") { Description = "Read the API key from the first line of this file" };
        var embedding = new Option<string?>("--embedding-model") { Description = "A BERT-style GGUF model for /v1/embeddings and /api/embed" };
        var maxQueue = new Option<int>("--max-queue") { Description = "Requests that may wait for a slot; more get 503 with Retry-After (default 64)", DefaultValueFactory = _ => 64 };
        var timeout = new Option<double?>("--timeout") { Description = "Longest a request may run, in seconds, queue wait included (default: no limit)" };
        var kbRoot = new Option<string?>("--kb-root") { Description = "Folder of the knowledge bases served under /v1/kb (default: BAIMO_KB or ~/.baimo/kb)" };
        var cmd = new Command("serve", "Serve a model over HTTP with OpenAI- and Ollama-compatible APIs")
        {
            model, maxMemory, host, port, parallel, ctx, threads, apiKey, apiKeyFile, embedding, maxQueue, timeout, kbRoot,
        };
        cmd.SetAction(async (pr, ct) =>
        {
            var key = pr.GetValue(apiKey);
            var keyFile = pr.GetValue(apiKeyFile);
            if (key != null && keyFile != null) throw new UsageException("give either --api-key or --api-key-file, not both");
            if (keyFile != null)
            {
                if (!File.Exists(keyFile)) throw new FileNotFoundException($"API key file not found: {keyFile}");
                key = File.ReadLines(keyFile).FirstOrDefault()?.Trim();
                if (string.IsNullOrEmpty(key)) throw new UsageException($"{keyFile}: the first line holds no key");
            }
            if (key is { Length: 0 }) throw new UsageException("--api-key is empty");
            var seconds = pr.GetValue(timeout);
            if (seconds is <= 0 or double.NaN) throw new UsageException("--timeout must be a positive number of seconds");
            var embeddingModel = pr.GetValue(embedding);
            var modelName = pr.GetValue(model);
            var memoryText = pr.GetValue(maxMemory);
            if (modelName != null && memoryText != null) throw new UsageException("--max-memory applies when serving the store (without -m)");
            if (modelName is null && embeddingModel != null) throw new UsageException("--embedding-model needs -m; serving the store, name the model in each request");
            var options = new ServeOptions
            {
                ModelPath = modelName is null ? "" : ModelPaths.Resolve(modelName),
                MaxMemoryBytes = memoryText is null ? 0 : ByteSize.Parse(memoryText, "--max-memory"),
                EmbeddingModelPath = embeddingModel is null ? null : ModelPaths.Resolve(embeddingModel),
                Host = pr.GetValue(host)!,
                Port = pr.GetValue(port),
                Parallel = pr.GetValue(parallel),
                ContextLength = pr.GetValue(ctx),
                Threads = pr.GetValue(threads),
                MaxQueue = pr.GetValue(maxQueue),
                Timeout = seconds is { } s ? TimeSpan.FromSeconds(s) : null,
                ApiKey = key,
                KnowledgeRoot = pr.GetValue(kbRoot),
            };
            try { options.Validate(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }

            var output = pr.InvocationConfiguration.Output;
            var error = pr.InvocationConfiguration.Error;
            if (!IsLoopback(options.Host) && key is null)
                error.WriteLine($"baimo: warning: listening on {options.Host} without --api-key: anyone who can reach this machine can use the model");
            var store = modelName is null ? CliStore.Open() : null;
            await using var app = store is null ? ServerApp.Build(options) : ServerApp.Build(store, options);
            await app.StartAsync(ct);
            var auth = key is null ? "" : ", API key required";
            if (store is null)
            {
                var engine = app.Services.GetService(typeof(ModelHost)) as ModelHost;
                output.WriteLine($"baimo: serving {engine?.ModelId} on {string.Join(", ", app.Urls)} ({options.Parallel} slots × {engine?.Engine.Options.ContextLength} tokens, queue {options.MaxQueue}{auth}); Ctrl-C stops");
            }
            else
            {
                var names = store.List().Select(m => m.Name).ToList();
                var limit = options.MaxMemoryBytes > 0 ? $"up to {InspectCommand.FormatBytes(options.MaxMemoryBytes)} loaded" : "no memory limit";
                output.WriteLine($"baimo: serving {names.Count} model(s) from {store.Root} by name on {string.Join(", ", app.Urls)} ({limit}, {options.Parallel} slots each{auth}); Ctrl-C stops");
                if (names.Count == 0) error.WriteLine("baimo: warning: the store is empty; 'baimo pull NAME' adds models");
            }
            try { await app.WaitForShutdownAsync(ct); }
            catch (OperationCanceledException) { }
            await app.StopAsync(CancellationToken.None);
            return Cli.Ok;
        });
        return cmd;
    }

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip));
}
