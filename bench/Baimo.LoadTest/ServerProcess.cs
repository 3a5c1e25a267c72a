using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Baimo.LoadTest;

/// <summary>A <c>baimo serve</c> child process on a free loopback port, killed (with its children) on dispose.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    public Uri BaseUri { get; }
    public string CommandLine { get; }

    private ServerProcess(Process process, Uri baseUri, string commandLine)
    {
        _process = process;
        BaseUri = baseUri;
        CommandLine = commandLine;
    }

    public static async Task<ServerProcess> StartAsync(string baimo, string model, int parallel, int maxQueue, TimeSpan startTimeout)
    {
        int port = FreePort();
        var args = new[] { "serve", "-m", model, "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--parallel", parallel.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--max-queue", maxQueue.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var psi = new ProcessStartInfo(baimo) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {baimo}");
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Remember(log, e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Remember(log, e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"), baimo + " " + string.Join(' ', args));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < startTimeout)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"server exited with {process.ExitCode}:\n{string.Join('\n', log)}");
            try
            {
                using var r = await http.GetAsync(new Uri(server.BaseUri, "health"));
                if (r.StatusCode == HttpStatusCode.OK) return server;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        await server.DisposeAsync();
        throw new TimeoutException($"server did not answer /health within {startTimeout.TotalSeconds} s:\n{string.Join('\n', log)}");
    }

    private static void Remember(System.Collections.Concurrent.ConcurrentQueue<string> log, string line)
    {
        log.Enqueue(line);
        while (log.Count > 50 && log.TryDequeue(out _)) { }
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException) { }
        catch (TimeoutException) { }
        _process.Dispose();
    }
}
