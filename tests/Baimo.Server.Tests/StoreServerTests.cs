using System.Security.Cryptography;
using Baimo.Hosting;
using Baimo.Hosting.Serving;
using Baimo.Hosting.Store;
using Baimo.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace Baimo.Server.Tests;

/// <summary>A server over a store of three models, with a memory limit that holds only two of them at once.</summary>
public sealed class StoreServerTests : IAsyncLifetime
{
    private static readonly (string Name, string Path)[] Models =
    [
        ("stories", Oracle.Path("models", "stories260K.gguf")),
        ("hf.co/synth/llama:Q8_0", Oracle.Path("models", "synth-llama", "synth-llama-Q8_0.gguf")),
        ("synth-qwen2", Oracle.Path("models", "synth-qwen2", "synth-qwen2-Q8_0.gguf")),
    ];

    private readonly string _root = Directory.CreateTempSubdirectory("baimo-serve-store-").FullName;
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private ModelPool _pool = null!;
    private long[] _need = [];

    public async Task InitializeAsync()
    {
        var store = new ModelStore(_root);
        Directory.CreateDirectory(store.BlobFolder);
        foreach (var (name, path) in Models)
        {
            var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
            File.Copy(path, store.BlobPath(sha));
            var (arch, type) = GgufFacts.Read(path);
            store.Save(new ModelManifest
            {
                Name = name, Source = "file://" + path, Repository = "local", File = Path.GetFileName(path), Sha256 = sha,
                Size = new FileInfo(path).Length, Architecture = arch, WeightType = type, PulledAt = DateTimeOffset.UtcNow,
            });
        }
        var options = new ServeOptions { Parallel = 1, ContextLength = 256, Port = 0 };
        _need = [.. Models.Select(m => MemoryEstimate.Of(m.Path, options))];
        var sorted = _need.Order().ToArray();
        // Any two fit; all three never do.
        options = options with { MaxMemoryBytes = sorted[1] + sorted[2] };
        _app = ServerApp.Build(store, options, b => b.WebHost.UseTestServer());
        await _app.StartAsync();
        _client = _app.GetTestClient();
        _pool = (ModelPool)_app.Services.GetService(typeof(ModelRouter))!;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private async Task<string> CompleteAsync(string model)
    {
        var (status, body) = await Http.PostAsync(_client, "/v1/completions",
            $$"""{"model":"{{model}}","prompt":"Once upon a time","max_tokens":4,"temperature":0}""");
        Assert.True(status == 200, $"{model}: {status} {body}");
        Assert.Equal(model, body.GetProperty("model").GetString());
        Assert.Equal(4, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        return body.GetProperty("choices")[0].GetProperty("text").GetString()!;
    }

    private async Task<string[]> LoadedAsync()
    {
        var (status, body) = await Http.GetAsync(_client, "/api/ps");
        Assert.Equal(200, status);
        return [.. body.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()!).Order()];
    }

    [Fact]
    public async Task EachModelAnswersByNameAndTheLeastRecentlyUsedIsUnloaded()
    {
        Assert.True(_need.Sum() > _pool.Options.MaxMemoryBytes);
        var first = await CompleteAsync(Models[0].Name);
        await CompleteAsync(Models[1].Name);
        Assert.Equal([Models[1].Name, Models[0].Name], await LoadedAsync());
        Assert.Equal(0, _pool.Evictions);

        await CompleteAsync(Models[2].Name);
        Assert.Equal(1, _pool.Evictions);
        Assert.Equal([Models[1].Name, Models[2].Name], await LoadedAsync());

        // The unloaded model loads again and answers as it did before.
        Assert.Equal(first, await CompleteAsync(Models[0].Name));
        Assert.Equal(2, _pool.Evictions);
        Assert.Equal([Models[0].Name, Models[2].Name], await LoadedAsync());

        var (status, chat) = await Http.PostAsync(_client, "/v1/chat/completions",
            $$"""{"model":"{{Models[2].Name}}","messages":[{"role":"user","content":"hi"}],"max_tokens":3,"temperature":0}""");
        Assert.Equal(200, status);
        Assert.Equal(Models[2].Name, chat.GetProperty("model").GetString());
        Assert.True(_pool.Loaded().Sum(m => m.MemoryBytes) <= _pool.Options.MaxMemoryBytes);
    }

    [Fact]
    public async Task ConcurrentFirstRequestsShareOneLoad()
    {
        var texts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => CompleteAsync(Models[1].Name)));
        Assert.Single(texts.Distinct());
        Assert.Single(_pool.Loaded());
        Assert.Equal(0, _pool.Evictions);
    }

    [Fact]
    public async Task TheStoreIsListedAndAnUnknownNameIsA404()
    {
        var (status, list) = await Http.GetAsync(_client, "/v1/models");
        Assert.Equal(200, status);
        Assert.Equal(Models.Select(m => m.Name).Order(), list.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).Order());

        (status, var tags) = await Http.GetAsync(_client, "/api/tags");
        Assert.Equal(200, status);
        var llama = tags.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == Models[1].Name);
        Assert.Equal(new FileInfo(Models[1].Path).Length, llama.GetProperty("size").GetInt64());
        Assert.Equal("llama", llama.GetProperty("details").GetProperty("family").GetString());
        Assert.Equal("Q8_0", llama.GetProperty("details").GetProperty("quantization_level").GetString());
        Assert.Empty(await LoadedAsync());

        (status, var error) = await Http.PostAsync(_client, "/v1/completions", """{"model":"storie","prompt":"x"}""");
        Assert.Equal(404, status);
        var e = Http.OpenAiError(error);
        Assert.Equal("model_not_found", e.GetProperty("code").GetString());
        Assert.Equal("model 'storie' is not in this server's store; did you mean stories? ('baimo pull storie' adds it)", e.GetProperty("message").GetString());

        (status, error) = await Http.PostAsync(_client, "/api/chat", """{"model":"nothing-like-it","messages":[]}""");
        Assert.Equal(404, status);
        Assert.Contains("it serves hf.co/synth/llama:Q8_0, stories, synth-qwen2", error.GetProperty("error").GetString());
        Assert.Empty(await LoadedAsync());
    }
}
