using Baimo.Knowledge.Catalog;

namespace Baimo.Knowledge.Tests;

public sealed class KnowledgeCatalogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("baimo-kbcat-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("handbook")]
    [InlineData("公司制度")]
    [InlineData("q3-2026_reports.v2")]
    public void GoodNamesMapToAFileInTheRoot(string name)
    {
        var catalog = new KnowledgeCatalog(_dir);
        Assert.Equal(Path.Combine(_dir, name + ".kb.sqlite"), catalog.PathOf(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData("-flag")]
    [InlineData("x..y")]
    public void BadNamesAreRefusedWithTheRule(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => new KnowledgeCatalog(_dir).PathOf(name));
        Assert.Contains("letters, digits", e.Message);
    }

    [Fact]
    public void NamesListsBasesAndRemoveDeletesJournals()
    {
        var catalog = new KnowledgeCatalog(_dir);
        File.WriteAllText(catalog.PathOf("b"), "");
        File.WriteAllText(catalog.PathOf("a"), "");
        File.WriteAllText(catalog.PathOf("a") + "-wal", "");
        File.WriteAllText(Path.Combine(_dir, "other.txt"), "");
        Assert.Equal(["a", "b"], catalog.Names());
        Assert.True(catalog.Remove("a"));
        Assert.False(File.Exists(catalog.PathOf("a") + "-wal"));
        Assert.False(catalog.Remove("a"));
        Assert.Equal(["b"], catalog.Names());
    }
}
