using Baimo.Hosting.Store;

namespace Baimo.Hosting.Tests;

public sealed class ModelStoreTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private ModelManifest Add(string name, string sha, byte[]? bytes = null)
    {
        var m = new ModelManifest
        {
            Name = name, Source = "https://example/" + name, Repository = "hf.co/x/y", File = name + ".gguf", Sha256 = sha,
            Size = bytes?.Length ?? 0, Architecture = "llama", WeightType = "Q8_0", PulledAt = DateTimeOffset.UnixEpoch,
        };
        _temp.Store.Save(m);
        Directory.CreateDirectory(_temp.Store.BlobFolder);
        File.WriteAllBytes(_temp.Store.BlobPath(sha), bytes ?? []);
        return m;
    }

    [Fact]
    public void ManifestsRoundTripAndNamesWithSlashesAndColonsStayDistinct()
    {
        var a = Add("hf.co/a/b:Q8_0", new string('a', 64));
        var b = Add("hf.co/a/b:Q4_K_M", new string('b', 64));
        var c = Add("qwen2.5:0.5b", new string('c', 64));
        Assert.Equal([b, a, c], _temp.Store.List());
        Assert.Equal(c, _temp.Store.Find("qwen2.5:0.5b:latest"));
        Assert.Equal(a, _temp.Store.Find("HF.CO/A/B:q8_0"));
        Assert.Null(_temp.Store.Find("hf.co/a/b"));
        Assert.Equal(["hf.co/a/b:Q4_K_M", "hf.co/a/b:Q8_0"], _temp.Store.CloseNames("hf.co/a/b"));
        Assert.Equal(["qwen2.5:0.5b"], _temp.Store.CloseNames("qwen2.5:05b"));
    }

    [Fact]
    public void RemovingANameKeepsAFileAnotherNameShares()
    {
        var sha = new string('d', 64);
        Add("alias", sha, [1, 2, 3]);
        Add("hf.co/o/r:Q8_0", sha, [1, 2, 3]);

        Assert.True(_temp.Store.Remove("alias"));
        Assert.True(File.Exists(_temp.Store.BlobPath(sha)));
        Assert.True(_temp.Store.Remove("hf.co/o/r:Q8_0"));
        Assert.False(File.Exists(_temp.Store.BlobPath(sha)));
        Assert.False(_temp.Store.Remove("alias"));
        Assert.Empty(_temp.Store.List());
    }
}
