using System.Security.Cryptography;
using Baimo.Hosting.Pull;
using Baimo.Testing;

namespace Baimo.Hosting.Tests;

public sealed class PullTests : IAsyncLifetime
{
    private static readonly string Stories = Oracle.Path("models", "stories260K.gguf");
    private static readonly string LlamaQ8 = Oracle.Path("models", "synth-llama", "synth-llama-Q8_0.gguf");
    private const string Repo = "test/stories-GGUF";

    private FakeHub _hub = null!;
    private readonly TempStore _temp = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(2) };

    public async Task InitializeAsync()
    {
        _hub = await FakeHub.StartAsync();
        _hub.Add(Repo, "stories-F32.gguf", Stories);
        _hub.Add(Repo, "llama-Q8_0.gguf", LlamaQ8);
        _hub.Add(Repo, "README.md", new FakeHub.FakeFile("# stories"u8.ToArray()));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _hub.DisposeAsync();
        _temp.Dispose();
    }

    private ModelPuller Puller(int attempts = 5) => new(_temp.Store, _http, new PullSettings
    {
        HuggingFaceEndpoint = _hub.Endpoint,
        ModelScopeEndpoint = _hub.Endpoint,
        MaxAttempts = attempts,
        RetryDelay = TimeSpan.FromMilliseconds(10),
    });

    private static long RangeStart(string? range)
    {
        Assert.NotNull(range);
        Assert.Matches(@"^bytes=\d+-$", range);
        return long.Parse(range[6..^1]);
    }

    private static string Sha(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public async Task PullPicksTheQuantizationVerifiesAndRecordsAManifest()
    {
        var result = await Puller().PullAsync($"hf.co/{Repo}:q8_0");

        Assert.True(result.Downloaded);
        var m = result.Manifest;
        Assert.Equal($"hf.co/{Repo}:q8_0", m.Name);
        Assert.Equal("llama-Q8_0.gguf", m.File);
        Assert.Equal(Sha(LlamaQ8), m.Sha256);
        Assert.Equal(new FileInfo(LlamaQ8).Length, m.Size);
        Assert.Equal("llama", m.Architecture);
        Assert.Equal("Q8_0", m.WeightType);
        Assert.Equal($"hf.co/{Repo}", m.Repository);
        Assert.Equal($"{_hub.Endpoint}/{Repo}/resolve/main/llama-Q8_0.gguf", m.Source);
        Assert.Equal(Sha(LlamaQ8), Sha(result.Path));
        Assert.Equal(m, Assert.Single(_temp.Store.List()));
        Assert.Equal(m.Sha256, _temp.Store.Find($"HF.CO/{Repo}:Q8_0")!.Sha256);
        Assert.DoesNotContain(_temp.Files(), f => f.EndsWith(".partial"));

        // A second pull finds the file in place and downloads nothing.
        var again = await Puller().PullAsync($"hf.co/{Repo}:q8_0");
        Assert.False(again.Downloaded);
        Assert.Single(_hub.Downloads);
    }

    [Fact]
    public async Task AnExactFileNameIsPulledAsNamed()
    {
        var result = await Puller().PullAsync($"hf.co/{Repo}/stories-F32.gguf");
        Assert.Equal("stories-F32.gguf", result.Manifest.File);
        Assert.Equal("F32", result.Manifest.WeightType);
        Assert.Equal(Sha(Stories), Sha(result.Path));
    }

    [Fact]
    public async Task ADroppedConnectionResumesWithARangeRequest()
    {
        _hub.DropAfterBytes = 300_000;
        _hub.DropCount = 1;

        var result = await Puller().PullAsync($"hf.co/{Repo}:F32");

        var downloads = _hub.Downloads.ToArray();
        Assert.Equal(2, downloads.Length);
        Assert.Null(downloads[0].Range);
        // The client resumes from what reached it: at most what the server sent before dropping.
        var from = RangeStart(downloads[1].Range);
        Assert.InRange(from, 1, 300_000);
        Assert.Equal(Sha(Stories), Sha(result.Path));
        Assert.Equal(Sha(Stories), result.Manifest.Sha256);
    }

    [Fact]
    public async Task AFailedPullKeepsItsPartialFileAndTheNextPullResumes()
    {
        _hub.DropAfterBytes = 500_000;
        _hub.DropCount = 1;

        var e = await Assert.ThrowsAsync<PullException>(() => Puller(attempts: 1).PullAsync($"hf.co/{Repo}:F32"));
        var partial = _temp.Store.PartialPath(Sha(Stories));
        long kept = new FileInfo(partial).Length;
        Assert.InRange(kept, 1, 500_000);
        Assert.Contains($"{kept:N0} of 1,185,376 bytes are kept", e.Message);
        Assert.Empty(_temp.Store.List());

        var result = await Puller(attempts: 1).PullAsync($"hf.co/{Repo}:F32");
        Assert.Equal($"bytes={kept}-", _hub.Downloads.Last().Range);
        Assert.Equal(Sha(Stories), Sha(result.Path));
        Assert.False(File.Exists(partial));
    }

    [Fact]
    public async Task ACorruptedFileIsRejectedAndNotKept()
    {
        var bytes = File.ReadAllBytes(Stories);
        var listed = Convert.ToHexStringLower(SHA256.HashData(bytes));
        bytes[bytes.Length / 2] ^= 0x5A;
        _hub.Add("test/corrupt-GGUF", "model-Q4_K_M.gguf", new FakeHub.FakeFile(bytes, listed));

        var e = await Assert.ThrowsAsync<PullException>(() => Puller().PullAsync("hf.co/test/corrupt-GGUF"));

        Assert.Contains("failed its checksum", e.Message);
        Assert.Contains(listed, e.Message);
        Assert.Empty(_temp.Store.List());
        Assert.False(File.Exists(_temp.Store.BlobPath(listed)));
        Assert.False(File.Exists(_temp.Store.PartialPath(listed)));
        Assert.DoesNotContain(_temp.Files(), f => f.EndsWith(".gguf") || f.EndsWith(".partial"));
    }

    [Fact]
    public async Task TwoConcurrentPullsOfOneModelBothSucceedWithOneDownload()
    {
        _hub.ChunkDelay = TimeSpan.FromMilliseconds(20);

        var results = await Task.WhenAll(
            Task.Run(() => Puller().PullAsync($"hf.co/{Repo}:F32")),
            Task.Run(() => Puller().PullAsync($"hf.co/{Repo}:F32")));

        Assert.Single(_hub.Downloads);
        Assert.Single(results, r => r.Downloaded);
        Assert.All(results, r => Assert.Equal(Sha(Stories), Sha(r.Path)));
        Assert.Equal(results[0].Path, results[1].Path);
        Assert.Single(_temp.Store.List());
    }

    [Fact]
    public async Task AMissingRepositoryIsAClearError()
    {
        var e = await Assert.ThrowsAsync<PullException>(() => Puller().PullAsync("hf.co/nobody/missing-GGUF:Q4_K_M"));
        Assert.Equal($"repository hf.co/nobody/missing-GGUF not found on {_hub.Endpoint}", e.Message);
        Assert.Empty(_hub.Downloads);
    }

    [Fact]
    public async Task AQuantizationTheRepositoryLacksListsWhatExists()
    {
        var e = await Assert.ThrowsAsync<PullException>(() => Puller().PullAsync($"hf.co/{Repo}:Q5_K_M"));
        Assert.Contains($"no .gguf file of hf.co/{Repo} matches Q5_K_M", e.Message);
        Assert.Contains("available: F32, Q8_0", e.Message);
        Assert.Contains("stories-F32.gguf", e.Message);
        Assert.DoesNotContain("README", e.Message);
    }

    [Fact]
    public async Task AnUnreachableHubIsANetworkError()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var puller = new ModelPuller(_temp.Store, _http, new PullSettings { HuggingFaceEndpoint = $"http://127.0.0.1:{port}" });

        var e = await Assert.ThrowsAsync<PullException>(() => puller.PullAsync($"hf.co/{Repo}:F32"));
        Assert.StartsWith($"cannot reach http://127.0.0.1:{port}", e.Message);
    }

    [Fact]
    public async Task AnAliasResolvesThroughTheCatalogToTheOverriddenEndpoint()
    {
        _hub.Add("Qwen/Qwen2.5-0.5B-Instruct-GGUF", "qwen2.5-0.5b-instruct-q4_k_m.gguf", Stories);
        _hub.Add("Qwen/Qwen2.5-0.5B-Instruct-GGUF", "qwen2.5-0.5b-instruct-q8_0.gguf", LlamaQ8);

        var result = await Puller().PullAsync("Qwen2.5:0.5B");

        Assert.Equal("qwen2.5:0.5b", result.Manifest.Name);
        Assert.Equal("hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF", result.Manifest.Repository);
        Assert.Equal("qwen2.5-0.5b-instruct-q4_k_m.gguf", result.Manifest.File);
        Assert.Equal(Sha(Stories), Sha(result.Path));
        Assert.Equal(new FakeHub.Download("Qwen/Qwen2.5-0.5B-Instruct-GGUF", "qwen2.5-0.5b-instruct-q4_k_m.gguf", null), Assert.Single(_hub.Downloads));
        Assert.NotNull(_temp.Store.Find("qwen2.5:0.5b:latest"));
    }

    [Fact]
    public async Task ModelScopeNamesUseItsFileListAndDownloadRoute()
    {
        _hub.Add("owner/ms-GGUF", "sub/llama-Q8_0.gguf", LlamaQ8);

        var result = await Puller().PullAsync("modelscope.cn/owner/ms-GGUF:Q8_0");

        Assert.Equal("sub/llama-Q8_0.gguf", result.Manifest.File);
        Assert.Equal($"{_hub.Endpoint}/models/owner/ms-GGUF/resolve/master/sub/llama-Q8_0.gguf", result.Manifest.Source);
        Assert.Equal(Sha(LlamaQ8), Sha(result.Path));

        var e = await Assert.ThrowsAsync<PullException>(() => Puller().PullAsync("modelscope.cn/owner/absent:Q8_0"));
        Assert.StartsWith("repository modelscope.cn/owner/absent not found", e.Message);
    }
}
