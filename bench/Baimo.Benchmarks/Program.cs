using BenchmarkDotNet.Running;
using Baimo.Benchmarks;

// dotnet run -c Release --project bench/Baimo.Benchmarks -- --filter '*'   (BenchmarkDotNet's usual switches)
// dotnet run -c Release --project bench/Baimo.Benchmarks -- --peaks [threads]   (this machine's ceilings only)
if (args.Length > 0 && args[0] == "--peaks")
{
    int threads = args.Length > 1 && int.TryParse(args[1], out int t) && t > 0 ? t : Environment.ProcessorCount;
    Console.WriteLine($"threads {threads}: read {MachinePeaks.ReadGBs(threads):F1} GB/s, fp32 FMA {MachinePeaks.FmaGFlops(threads):F0} GFLOP/s, " +
        $"8-bit products (vpmaddubsw) {MachinePeaks.Int8GOps(threads):F0} GOP/s");
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(GgufOpenBenchmarks).Assembly).Run(args);
