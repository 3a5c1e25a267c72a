using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Baimo.LoadTest;

Options options;
try { options = Options.Parse(args); }
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or UriFormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

var md = new StringBuilder();
var inv = CultureInfo.InvariantCulture;
md.AppendLine(inv, $"# Baimo load test — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
md.AppendLine();
int exit = 0;

using var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = int.MaxValue,
    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    UseProxy = false,
}) { Timeout = Timeout.InfiniteTimeSpan };
// Aborting clients must really drop the connection: by default a disposed, unfinished response is drained
// (up to 1 MB or 2 s) so that its connection can be reused, and the server would see no disconnect.
using var aborting = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = int.MaxValue,
    MaxResponseDrainSize = 0,
    ResponseDrainTimeout = TimeSpan.Zero,
    UseProxy = false,
}) { Timeout = Timeout.InfiniteTimeSpan };
// A separate pool for /health and /metrics, so that probes never wait behind streaming connections.
using var probe = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

async Task<T> WithServer<T>(int maxQueue, Func<Uri, Task<T>> body)
{
    if (options.Model is null)
    {
        var url = new Uri((options.Url ?? "http://127.0.0.1:8080").TrimEnd('/') + "/");
        await ResolveModelName(url);
        return await body(url);
    }
    await using var server = await ServerProcess.StartAsync(options.Baimo, options.Model, options.Parallel, maxQueue, TimeSpan.FromMinutes(3));
    md.AppendLine(inv, $"Server: `{server.CommandLine}`");
    md.AppendLine();
    await ResolveModelName(server.BaseUri);
    return await body(server.BaseUri);
}

async Task ResolveModelName(Uri baseUri)
{
    using var doc = JsonDocument.Parse(await probe.GetStringAsync(new Uri(baseUri, "v1/models")));
    foreach (var m in doc.RootElement.GetProperty("data").EnumerateArray())
        if (m.GetProperty("id").GetString() is { } id) { options.ModelName = id; return; }
}

string F(double v, string fmt = "0.000") => double.IsNaN(v) ? "—" : v.ToString(fmt, inv);

async Task<ThroughputResult> Throughput(Uri baseUri, int clients, int requests)
{
    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(options.ScenarioTimeoutSeconds));
    var results = new ConcurrentBag<StreamResult>();
    var sw = Stopwatch.StartNew();
    var tasks = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
    {
        for (int i = 0; i < requests && !cts.IsCancellationRequested; i++)
            results.Add(await ChatStream.RunAsync(http, baseUri, options.ModelName, options.Prompt, options.MaxTokens, null, cts.Token));
    })).ToArray();
    await Task.WhenAll(tasks);
    double wall = sw.Elapsed.TotalSeconds;
    var all = results.ToArray();
    var ok = all.Where(r => r.Ok).ToArray();
    var ttft = ok.Select(r => r.TtftSeconds).Where(t => !double.IsNaN(t)).ToArray();
    return new ThroughputResult(clients, requests, clients * requests, all.Length, ok.Length,
        all.Count(r => r.Status == HttpStatusCode.ServiceUnavailable), all.Count(r => !r.Ok && r.Status != HttpStatusCode.ServiceUnavailable),
        ok.Sum(r => r.Tokens), wall, Stats.Percentile(ttft, 50), Stats.Percentile(ttft, 99),
        all.Where(r => r.Error is not null).Select(r => $"{(int?)r.Status} {r.Error}").Distinct().Take(5).ToArray(), cts.IsCancellationRequested);
}

async Task<Dictionary<string, double>> Metrics(Uri baseUri)
{
    string text = await probe.GetStringAsync(new Uri(baseUri, "metrics"));
    var d = new Dictionary<string, double>();
    foreach (var line in text.Split('\n'))
    {
        if (line.StartsWith('#') || line.Contains('{')) continue;
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 2 && double.TryParse(parts[1], NumberStyles.Float, inv, out var v)) d[parts[0]] = v;
    }
    return d;
}

// ---- 1. throughput: N clients against one -------------------------------------------------------
if (options.Wants("throughput") || options.Wants("abort"))
{
    await WithServer(options.MaxQueue, async baseUri =>
    {
        if (options.Wants("throughput"))
        {
            // Warm-up: load pages, JIT the paths.
            await ChatStream.RunAsync(http, baseUri, options.ModelName, options.Prompt, options.MaxTokens, null, CancellationToken.None);
            var many = await Throughput(baseUri, options.Clients, options.Requests);
            var one = await Throughput(baseUri, 1, options.SingleRequests);
            md.AppendLine("## Throughput (streaming chat completions, temperature 0)");
            md.AppendLine();
            md.AppendLine(inv, $"max_tokens {options.MaxTokens}, prompt \"{options.Prompt}\"");
            md.AppendLine();
            md.AppendLine("| clients × requests | done | failures | 503 | generated tokens | wall s | aggregate tok/s | TTFT p50 s | TTFT p99 s |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var r in new[] { many, one })
                md.AppendLine(inv, $"| {r.Clients} × {r.Requests} | {r.Completed}/{r.Planned} | {r.Failures} | {r.Unavailable} | {r.Tokens} | {F(r.Wall, "0.00")} | {F(r.TokensPerSecond, "0.0")} | {F(r.TtftP50)} | {F(r.TtftP99)} |");
            md.AppendLine();
            md.AppendLine(inv, $"Batching gain: {F(many.TokensPerSecond / one.TokensPerSecond, "0.00")}× ({options.Clients} clients against 1).");
            foreach (var r in new[] { many, one })
            {
                if (r.TimedOut) md.AppendLine(inv, $"- {r.Clients} clients: stopped at the {options.ScenarioTimeoutSeconds} s limit.");
                foreach (var e in r.Errors) md.AppendLine(inv, $"- {r.Clients} clients, error: `{e}`");
            }
            md.AppendLine();
            if (many.Failures + many.Unavailable + one.Failures + one.Unavailable > 0 || many.TimedOut || one.TimedOut) exit = 1;
        }

        // ---- 3. clients that abort mid-stream --------------------------------------------------
        if (options.Wants("abort"))
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(options.ScenarioTimeoutSeconds));
            var before = await Metrics(baseUri);
            var results = await Task.WhenAll(Enumerable.Range(0, options.AbortClients).Select(_ => Task.Run(() =>
                ChatStream.RunAsync(aborting, baseUri, options.ModelName, options.Prompt, options.AbortMaxTokens, options.AbortAfterTokens, cts.Token))));
            var gone = Stopwatch.StartNew();
            double freedAt = double.NaN, busy = double.NaN, queue = double.NaN;
            int polls = 0;
            while (gone.Elapsed < TimeSpan.FromSeconds(10))
            {
                var m = await Metrics(baseUri);
                polls++;
                busy = m.GetValueOrDefault("baimo_busy_slots", double.NaN);
                queue = m.GetValueOrDefault("baimo_queue_depth", double.NaN);
                if (busy == 0 && queue == 0) { freedAt = gone.Elapsed.TotalSeconds; break; }
                await Task.Delay(10);
            }
            await Task.Delay(1000);
            var after = await Metrics(baseUri);
            double generated = after.GetValueOrDefault("baimo_engine_generated_tokens_total") - before.GetValueOrDefault("baimo_engine_generated_tokens_total");
            int aborted = results.Count(r => r.Aborted), unavailable = results.Count(r => r.Status == HttpStatusCode.ServiceUnavailable);
            int failed = results.Count(r => !r.Ok && r.Status != HttpStatusCode.ServiceUnavailable);
            md.AppendLine("## Clients aborting mid-stream");
            md.AppendLine();
            md.AppendLine(inv, $"{options.AbortClients} concurrent clients, max_tokens {options.AbortMaxTokens}, each drops its connection after {options.AbortAfterTokens} tokens.");
            md.AppendLine();
            md.AppendLine("| aborted | 503 | other failures | all slots free after the last abort | tokens generated (server) | tokens read (clients) |");
            md.AppendLine("|---|---|---|---|---|---|");
            md.AppendLine(inv, $"| {aborted}/{options.AbortClients} | {unavailable} | {failed} | {(double.IsNaN(freedAt) ? $"not within 10 s (busy {busy}, queue {queue})" : $"{freedAt * 1000:0} ms ({polls} polls)")} | {generated:0} | {results.Sum(r => r.Tokens)} |");
            foreach (var e in results.Where(r => r.Error is not null).Select(r => $"{(int?)r.Status} {r.Error}").Distinct().Take(5))
                md.AppendLine(inv, $"- error: `{e}`");
            md.AppendLine();
            if (double.IsNaN(freedAt) || freedAt > 1.0 || failed > 0) exit = 1;
        }
        return 0;
    });
}

// ---- 2. /health while the queue is full ------------------------------------------------------------
if (options.Wants("health"))
{
    await WithServer(options.SmallQueue, async baseUri =>
    {
        var deadline = TimeSpan.FromSeconds(Math.Min(options.FloodSeconds, options.ScenarioTimeoutSeconds));
        using var stop = new CancellationTokenSource();
        int done = 0, unavailable = 0, failed = 0;
        var errors = new ConcurrentBag<string>();
        var flood = Enumerable.Range(0, options.FloodClients).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var r = await ChatStream.RunAsync(http, baseUri, options.ModelName, options.Prompt, options.MaxTokens, null, stop.Token);
                if (stop.IsCancellationRequested) break;
                if (r.Ok) Interlocked.Increment(ref done);
                else if (r.Status == HttpStatusCode.ServiceUnavailable) { Interlocked.Increment(ref unavailable); await Task.Delay(100); }
                else { Interlocked.Increment(ref failed); errors.Add($"{(int?)r.Status} {r.Error}"); }
            }
        })).ToArray();
        await Task.Delay(500); // let the queue fill
        var latencies = new List<double>();
        int maxDepth = 0, fullPolls = 0, healthErrors = 0, capacity = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < deadline && await timer.WaitForNextTickAsync())
        {
            var t = Stopwatch.StartNew();
            try
            {
                using var resp = await probe.GetAsync(new Uri(baseUri, "health"));
                string body = await resp.Content.ReadAsStringAsync();
                latencies.Add(t.Elapsed.TotalMilliseconds);
                if (resp.StatusCode != HttpStatusCode.OK) { healthErrors++; continue; }
                using var doc = JsonDocument.Parse(body);
                int depth = doc.RootElement.GetProperty("queue_depth").GetInt32();
                capacity = doc.RootElement.TryGetProperty("queue_capacity", out var cap) ? cap.GetInt32() : 0;
                maxDepth = Math.Max(maxDepth, depth);
                if (capacity > 0 && depth >= capacity) fullPolls++;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                latencies.Add(t.Elapsed.TotalMilliseconds);
                healthErrors++;
            }
        }
        stop.Cancel();
        await Task.WhenAll(flood);
        double p50 = Stats.Percentile(latencies, 50), p99 = Stats.Percentile(latencies, 99), max = latencies.Count > 0 ? latencies.Max() : double.NaN;
        md.AppendLine("## /health while the queue is full");
        md.AppendLine();
        md.AppendLine(inv, $"{options.FloodClients} clients keep streaming (max_tokens {options.MaxTokens}) for {deadline.TotalSeconds:0} s; GET /health every 100 ms on its own connection.");
        md.AppendLine();
        md.AppendLine("| polls | errors | p50 ms | p99 ms | max ms | max queue depth / capacity | polls with the queue full | flood: completed / 503 / other failures |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        md.AppendLine(inv, $"| {latencies.Count} | {healthErrors} | {F(p50, "0.0")} | {F(p99, "0.0")} | {F(max, "0.0")} | {maxDepth} / {capacity} | {fullPolls} | {done} / {unavailable} / {failed} |");
        foreach (var e in errors.Distinct().Take(5)) md.AppendLine(inv, $"- flood error: `{e}`");
        md.AppendLine();
        if (healthErrors > 0 || !(max < 50) || failed > 0) exit = 1;
        return 0;
    });
}

string summary = md.ToString();
Console.WriteLine(summary);
if (options.Output is not null) await File.WriteAllTextAsync(options.Output, summary);
return exit;

internal sealed record ThroughputResult(int Clients, int Requests, int Planned, int Completed, int Ok, int Unavailable, int Failures,
    long Tokens, double Wall, double TtftP50, double TtftP99, string[] Errors, bool TimedOut)
{
    public double TokensPerSecond => Tokens / Wall;
}
