using System.Globalization;

namespace Baimo.LoadTest;

/// <summary>Command-line options of the load test.</summary>
public sealed class Options
{
    public string? Url { get; set; }
    public string? Model { get; set; }
    public string Baimo { get; set; } = "./baimo";
    public int Parallel { get; set; } = 4;
    public int Clients { get; set; } = 32;
    public int Requests { get; set; } = 20;
    public int SingleRequests { get; set; } = 20;
    public int MaxTokens { get; set; } = 32;
    public int MaxQueue { get; set; } = 128;
    public int SmallQueue { get; set; } = 8;
    public int FloodClients { get; set; } = 48;
    public double FloodSeconds { get; set; } = 10;
    public int AbortClients { get; set; } = 100;
    public int AbortAfterTokens { get; set; } = 3;
    public int AbortMaxTokens { get; set; } = 400;
    public double ScenarioTimeoutSeconds { get; set; } = 600;
    public string Prompt { get; set; } = "Once upon a time";
    public string ModelName { get; set; } = "default";
    public HashSet<string> Scenarios { get; } = new(StringComparer.OrdinalIgnoreCase);
    public string? Output { get; set; }

    public static string Usage => """
        Baimo.LoadTest: concurrent streaming load against a Baimo server, over loopback only.

          --url URL               server to test (default http://127.0.0.1:8080)
          -m, --model PATH        start `baimo serve -m PATH` on a free loopback port instead
          --baimo PATH            the baimo launcher (default ./baimo)
          --parallel N            slots of the started server (default 4)
          --max-queue N           queue of the started server for throughput/abort (default 128)
          --small-queue N         queue of the started server for the health scenario (default 8)
          --clients N             concurrent clients (default 32)
          --requests N            streaming requests per client (default 20)
          --single-requests N     requests of the single-client baseline (default 20)
          --max-tokens N          max_tokens per request (default 32)
          --flood-clients N       clients keeping the queue full (default 48)
          --flood-seconds S       how long the queue is kept full (default 10)
          --abort-clients N       clients that abort mid-stream (default 100)
          --abort-after N         tokens read before aborting (default 3)
          --abort-max-tokens N    max_tokens of the aborted requests (default 400)
          --scenario-timeout S    hard limit per scenario (default 600)
          --prompt TEXT           user message (default "Once upon a time")
          --scenario NAME         throughput | health | abort (repeatable; default all)
          -o, --out FILE          also write the markdown summary to FILE
        """;

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture) is var v and > 0 ? v : throw new ArgumentException($"{a} must be positive");
            double NextDouble() => double.Parse(Next(), CultureInfo.InvariantCulture) is var v and > 0 ? v : throw new ArgumentException($"{a} must be positive");
            switch (a)
            {
                case "--url": o.Url = Next(); break;
                case "-m" or "--model": o.Model = Next(); break;
                case "--baimo": o.Baimo = Next(); break;
                case "--parallel" or "-np": o.Parallel = NextInt(); break;
                case "--max-queue": o.MaxQueue = NextInt(); break;
                case "--small-queue": o.SmallQueue = NextInt(); break;
                case "--clients": o.Clients = NextInt(); break;
                case "--requests": o.Requests = NextInt(); break;
                case "--single-requests": o.SingleRequests = NextInt(); break;
                case "--max-tokens": o.MaxTokens = NextInt(); break;
                case "--flood-clients": o.FloodClients = NextInt(); break;
                case "--flood-seconds": o.FloodSeconds = NextDouble(); break;
                case "--abort-clients": o.AbortClients = NextInt(); break;
                case "--abort-after": o.AbortAfterTokens = NextInt(); break;
                case "--abort-max-tokens": o.AbortMaxTokens = NextInt(); break;
                case "--scenario-timeout": o.ScenarioTimeoutSeconds = NextDouble(); break;
                case "--prompt": o.Prompt = Next(); break;
                case "--scenario": o.Scenarios.Add(Next()); break;
                case "-o" or "--out": o.Output = Next(); break;
                default: throw new ArgumentException($"unknown option '{a}'");
            }
        }
        if (o.Url is not null && o.Model is not null) throw new ArgumentException("give --url or --model, not both");
        foreach (var s in o.Scenarios)
            if (s is not ("throughput" or "health" or "abort")) throw new ArgumentException($"unknown scenario '{s}'");
        if (o.Scenarios.Count == 0) o.Scenarios.UnionWith(["throughput", "health", "abort"]);
        if (o.Url is not null)
        {
            var uri = new Uri(o.Url);
            if (!uri.IsLoopback) throw new ArgumentException("only loopback servers may be load-tested");
        }
        return o;
    }

    public bool Wants(string scenario) => Scenarios.Contains(scenario);
}
