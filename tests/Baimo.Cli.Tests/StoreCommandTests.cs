using System.Text.Json;
using Baimo.Hosting;
using Baimo.Hosting.Tests;
using Baimo.Server;
using Baimo.Testing;

namespace Baimo.Cli.Tests;

/// <summary>
/// pull, list, show, rm, ps and model names in -m, against a local imitation of the hub. The store and the
/// hub endpoint come from the environment, as for a user, pointed at a temporary folder and the fake hub.
/// </summary>
public sealed class StoreCommandTests : IAsyncLifetime
{
    private static readonly string Stories = Oracle.Path("models", "stories260K.gguf");
    private const string Name = "hf.co/test/stories-GGUF:F32";

    private FakeHub _hub = null!;
    private readonly string _root = Directory.CreateTempSubdirectory("baimo-cli-store-").FullName;

    public async Task InitializeAsync()
    {
        _hub = await FakeHub.StartAsync();
        _hub.Add("test/stories-GGUF", "stories-F32.gguf", Stories);
        Environment.SetEnvironmentVariable("BAIMO_MODELS", _root);
        Environment.SetEnvironmentVariable("BAIMO_HF_ENDPOINT", _hub.Endpoint);
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void PullListShowRunAndRemoveByName()
    {
        var (code, o, e) = CliRunner.Run("pull", Name);
        Assert.True(code == 0, e);
        Assert.Equal("", e);
        Assert.Contains($"pulled {Name}: stories-F32.gguf (1.13 MiB, llama F32), sha256 ", o);
        Assert.Contains("downloading stories-F32.gguf  100% 1.13 MiB/1.13 MiB", o);
        Assert.StartsWith("pulling manifest of hf.co/test/stories-GGUF\n", o.ReplaceLineEndings("\n"));

        (code, o, _) = CliRunner.Run("list");
        Assert.Equal(0, code);
        var lines = o.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^NAME\s+SIZE\s+TYPE\s+ARCH\s+MODIFIED$", lines[0]);
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(Name)}\s+1\.13 MiB\s+F32\s+llama\s+\d{{4}}-\d\d-\d\d \d\d:\d\d$", lines[1]);

        (code, o, _) = CliRunner.Run("show", Name);
        Assert.Equal(0, code);
        Assert.Contains($"name:        {Name}", o);
        Assert.Contains($"source:      {_hub.Endpoint}/test/stories-GGUF/resolve/main/stories-F32.gguf", o);
        Assert.Contains("arch:        llama", o);
        Assert.Contains("292,800", o);

        var reference = JsonDocument.Parse(File.ReadAllBytes(Oracle.Path("models", "stories260K.ref.json"))).RootElement;
        (code, o, e) = CliRunner.Run("run", "-m", Name.ToLowerInvariant(), "-p", "Once upon a time", "-n", "50", "--temp", "0", "-t", "2");
        Assert.True(code == 0, e);
        Assert.Equal(reference.GetProperty("greedy").GetProperty("text").GetString() + "\n", o);

        (code, _, e) = CliRunner.Run("run", "-m", "hf.co/test/stories-GGUF:F16", "-p", "x", "-n", "1");
        Assert.Equal(1, code);
        Assert.Contains("model not found: 'hf.co/test/stories-GGUF:F16' is neither a file nor a model in the store", e);
        Assert.Contains($"did you mean {Name}?", e);

        (code, o, _) = CliRunner.Run("pull", Name);
        Assert.Equal(0, code);
        Assert.Contains($"{Name} is up to date", o);
        Assert.Single(_hub.Downloads);

        (code, o, _) = CliRunner.Run("rm", Name);
        Assert.Equal(0, code);
        Assert.Equal($"deleted {Name}\n", o.ReplaceLineEndings("\n"));
        Assert.Empty(Directory.EnumerateFiles(_root, "*.gguf", SearchOption.AllDirectories));
        (code, o, _) = CliRunner.Run("list");
        Assert.StartsWith("no models in ", o);

        (code, _, e) = CliRunner.Run("rm", Name);
        Assert.Equal(1, code);
        Assert.Contains($"no model named '{Name}'", e);
    }

    [Fact]
    public void PullOfAMissingRepositoryIsOneClearLine()
    {
        var (code, o, e) = CliRunner.Run("pull", "hf.co/nobody/missing:Q4_K_M");
        Assert.Equal(1, code);
        Assert.Equal($"baimo: error: repository hf.co/nobody/missing not found on {_hub.Endpoint}\n", e.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("pulled", o);
    }

    [Fact]
    public async Task PsListsTheModelsOfARunningServer()
    {
        await using var app = ServerApp.Build(new ServeOptions { ModelPath = Stories, Port = 0, Parallel = 1, ContextLength = 256 });
        await app.StartAsync();
        var url = app.Urls.First();

        var (code, o, e) = CliRunner.Run("ps", "--host", url);

        Assert.True(code == 0, e);
        var lines = o.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Matches(@"^NAME\s+SIZE\s+CONTEXT\s+ARCH$", lines[0]);
        Assert.Matches(@"^stories260K\s+\S+ \S+\s+256\s+llama$", lines[1]);
        await app.StopAsync();

        (code, _, e) = CliRunner.Run("ps", "--host", url);
        Assert.Equal(1, code);
        Assert.Contains("no server answers at", e);
    }
}
