using System.Security.Cryptography;
using Baimo.Hosting.Serving;
using Baimo.Hosting.Store;
using Baimo.Testing;

namespace Baimo.Hosting.Tests;

public sealed class ModelPoolTests : IDisposable
{
    private static readonly string Stories = Oracle.Path("models", "stories260K.gguf");
    private static readonly string Qwen = Oracle.Path("models", "synth-qwen2", "synth-qwen2-Q8_0.gguf");
    private readonly TempStore _temp = new();
    private readonly ServeOptions _options = new() { Parallel = 1, ContextLength = 128 };

    public ModelPoolTests()
    {
        Add("stories", Stories);
        Add("qwen", Qwen);
    }

    public void Dispose() => _temp.Dispose();

    private void Add(string name, string path)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        Directory.CreateDirectory(_temp.Store.BlobFolder);
        File.Copy(path, _temp.Store.BlobPath(sha), overwrite: true);
        var (arch, type) = GgufFacts.Read(path);
        _temp.Store.Save(new ModelManifest
        {
            Name = name, Source = "file://" + path, Repository = "local", File = Path.GetFileName(path), Sha256 = sha,
            Size = new FileInfo(path).Length, Architecture = arch, WeightType = type, PulledAt = DateTimeOffset.UtcNow,
        });
    }

    [Fact]
    public async Task ALoadWaitsForABusyModelToFinishBeforeUnloadingIt()
    {
        long limit = Math.Max(MemoryEstimate.Of(Stories, _options), MemoryEstimate.Of(Qwen, _options));
        await using var pool = new ModelPool(_temp.Store, _options with { MaxMemoryBytes = limit });

        var stories = await pool.AcquireAsync("stories", CancellationToken.None);
        var qwen = pool.AcquireAsync("qwen", CancellationToken.None).AsTask();
        // Only one fits and the loaded one is in use: the second load must not start yet.
        Assert.False(qwen.IsCompleted);
        Assert.Equal(["stories"], pool.Loaded().Select(m => m.Name));

        stories.Dispose();
        using var lease = await qwen.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal("qwen", lease.Host.ModelId);
        Assert.Equal(["qwen"], pool.Loaded().Select(m => m.Name));
        Assert.Equal(1, pool.Evictions);
    }

    [Fact]
    public async Task AModelLargerThanTheLimitAndAnUnknownNameAreRefusedClearly()
    {
        await using var pool = new ModelPool(_temp.Store, _options with { MaxMemoryBytes = 1 << 20 });

        var big = await Assert.ThrowsAsync<ModelTooLargeException>(() => pool.AcquireAsync("qwen", CancellationToken.None).AsTask());
        Assert.StartsWith("qwen needs about ", big.Message);
        Assert.Contains("but the server may use 1 MiB (--max-memory)", big.Message);

        var missing = await Assert.ThrowsAsync<ModelNotFoundException>(() => pool.AcquireAsync("qwen3", CancellationToken.None).AsTask());
        Assert.Equal("model 'qwen3' is not in this server's store; did you mean qwen? ('baimo pull qwen3' adds it)", missing.Message);
        Assert.Empty(pool.Loaded());
    }
}
