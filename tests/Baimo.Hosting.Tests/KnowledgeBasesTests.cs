using System.Security.Cryptography;
using Baimo.AI;
using Baimo.Hosting.Knowledge;
using Baimo.Hosting.Store;
using Baimo.Knowledge;
using Baimo.Knowledge.Documents;
using Baimo.Knowledge.Retrieval;
using Baimo.Models;
using Baimo.Testing;

namespace Baimo.Hosting.Tests;

public sealed class KnowledgeBasesTests : IDisposable
{
    private static readonly string Bert = Oracle.Path("models", "synth-bert", "synth-bert-F32.gguf");
    private readonly TempStore _temp = new();
    private readonly string _root = Directory.CreateTempSubdirectory("baimo-kb-").FullName;

    public void Dispose()
    {
        _temp.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    /// <summary>The embedding model in the store under a name, as <c>baimo pull</c> would leave it.</summary>
    private void AddToStore(string name, string path)
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

    private async Task CreateAsync(string name, string? embeddingName)
    {
        var path = Path.Combine(_root, name + ".kb.sqlite");
        const string body = "The coffee machine is descaled every Friday morning.";
        var doc = new ExtractedDocument(body, [new DocumentBlock(BlockKind.Paragraph, body, 0, body.Length)], []);
        if (embeddingName is null)
        {
            using var plain = KnowledgeBase.Create(path);
            await plain.AddDocumentAsync("coffee.md", "h1", doc);
            return;
        }
        using var encoder = ModelRegistry.LoadEncoder(Bert);
        using var generator = new BaimoEmbeddingGenerator(encoder, embeddingName);
        using var kb = KnowledgeBase.Create(path, new KnowledgeBaseOptions { Embeddings = generator, EmbeddingModel = embeddingName });
        await kb.AddDocumentAsync("coffee.md", "h1", doc);
    }

    [Fact]
    public async Task BasesOpenOnceWithTheEmbeddingModelTheyRecordFromTheStore()
    {
        AddToStore("bert:tiny", Bert);
        await CreateAsync("a", "bert:tiny");
        await CreateAsync("b", "bert:tiny");
        await CreateAsync("plain", null);
        using var bases = new KnowledgeBases(_root, _temp.Store);

        Assert.Equal(["a", "b", "plain"], bases.Names());
        var a = bases.Get("a");
        Assert.Same(a, bases.Get("a"));
        Assert.True(a.HasEmbeddings);
        Assert.True(bases.Get("b").HasEmbeddings);
        Assert.False(bases.Get("plain").HasEmbeddings);
        var hits = await a.SearchAsync("coffee", 3, mode: SearchMode.Vector);
        Assert.Single(hits);
        Assert.NotNull(hits[0].VectorScore);
    }

    [Fact]
    public async Task DescribingABaseDoesNotLoadItsModel()
    {
        // A model name the store lacks would fail to load, so a listing that tried would throw.
        await CreateAsync("a", "missing:model");
        using var bases = new KnowledgeBases(_root, _temp.Store);
        var summary = bases.Describe("a");
        Assert.Equal(new KnowledgeBaseSummary("a", 1, 1, "missing:model", SearchMode.FullText), summary);
        var e = Assert.Throws<KnowledgeBaseUnavailableException>(() => bases.Get("a"));
        Assert.Contains("missing:model", e.Message);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("../etc")]
    public async Task AnUnknownNameListsTheBasesThereAre(string name)
    {
        await CreateAsync("handbook", null);
        using var bases = new KnowledgeBases(_root, _temp.Store);
        var e = Assert.Throws<KnowledgeBaseNotFoundException>(() => bases.Get(name));
        Assert.Contains("handbook", e.Message);
    }

    [Fact]
    public async Task DisposingClosesTheBases()
    {
        await CreateAsync("a", null);
        var bases = new KnowledgeBases(_root, _temp.Store);
        var kb = bases.Get("a");
        bases.Dispose();
        Assert.Throws<ObjectDisposedException>(() => kb.Documents());
        Assert.Throws<ObjectDisposedException>(() => bases.Get("a"));
    }
}
