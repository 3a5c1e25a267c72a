using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Baimo.Benchmarks -- --filter '*'   (BenchmarkDotNet's usual switches)
BenchmarkSwitcher.FromAssembly(typeof(Baimo.Benchmarks.GgufOpenBenchmarks).Assembly).Run(args);
