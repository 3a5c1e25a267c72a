using BenchmarkDotNet.Attributes;
using Baimo.Formats.Gguf;

namespace Baimo.Benchmarks;

/// <summary>
/// Time to open a multi-GB model file: header, 152k-token vocabulary, 151k merges and 339 tensor infos
/// parsed, data mapped (not read). Page faults of the first tensor reads are not part of opening.
/// </summary>
[MemoryDiagnoser]
public class GgufOpenBenchmarks
{
    private string _path = "";

    [GlobalSetup]
    public void Setup() =>
        _path = SyntheticGguf.Create(Path.Combine(Path.GetTempPath(), "baimo-bench-7b-q4k.gguf"));

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark]
    public long Open()
    {
        using var f = GgufFile.Open(_path);
        return f.FileSize + f.Tensors.Count;
    }
}
