using Baimo.Testing;

namespace Baimo.Formats.Tests;

/// <summary>Every GGUF file in the shared reference data, as xunit theory data.</summary>
public static class OracleFiles
{
    public static IEnumerable<string> AllGguf() =>
        Directory.EnumerateFiles(Oracle.Path(), "*.gguf", SearchOption.AllDirectories).Order();

    public static TheoryData<string> AllGgufData()
    {
        var data = new TheoryData<string>();
        foreach (var f in AllGguf()) data.Add(Path.GetRelativePath(Oracle.Path(), f));
        return data;
    }
}
