using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Baimo.Hosting.Pull;

/// <summary>
/// Downloads one file into a <c>.partial</c> file, resuming with an HTTP Range request from whatever is
/// already there, and retrying dropped or stalled connections. Checking the bytes is the caller's job.
/// </summary>
internal sealed class BlobDownloader(HttpClient http, IModelHub hub, PullSettings settings, IProgress<PullProgress>? progress)
{
    private const int BufferSize = 1 << 20;
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(250);

    public async Task DownloadAsync(Uri uri, string partial, HubFile file, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await TransferAsync(uri, partial, file, ct).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (IsTransient(e, ct) && attempt < settings.MaxAttempts)
            {
                var delay = settings.RetryDelay * Math.Pow(2, attempt - 1);
                progress?.Report(new PullProgress(PullPhase.Downloading, file.Path, Length(partial), file.Size, 0,
                    $"connection lost ({e.Message}); resuming in {delay.TotalSeconds:0.#} s"));
                await Task.Delay(delay, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e, ct))
            {
                throw new PullException($"downloading {file.Path} from {uri.Host} failed after {attempt} tries: {e.Message}; "
                    + $"{Length(partial):N0} of {file.Size:N0} bytes are kept, and pulling again resumes from there", e);
            }
        }
    }

    private async Task TransferAsync(Uri uri, string partial, HubFile file, CancellationToken ct)
    {
        long have = Length(partial);
        if (file.Size >= 0 && have > file.Size) { File.Delete(partial); have = 0; }
        if (file.Size >= 0 && have == file.Size) return;

        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        hub.Authorize(request);
        if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The hub no longer agrees with what is on disk: start over rather than keep guessing.
            File.Delete(partial);
            throw new IOException("the server refused to resume; starting over");
        }
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            throw new PullException($"{file.Path} is listed but cannot be downloaded from {uri.Host} ({(int)response.StatusCode})");
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new PullException($"{uri.Host} refused to send {file.Path} ({(int)response.StatusCode}); the repository may need a token");
        if ((int)response.StatusCode >= 500) throw new HttpRequestException($"the server answered {(int)response.StatusCode}");
        if (!response.IsSuccessStatusCode) throw new PullException($"{uri.Host} answered {(int)response.StatusCode} {response.ReasonPhrase} for {file.Path}");

        bool resumed = have > 0 && response.StatusCode == HttpStatusCode.PartialContent
            && response.Content.Headers.ContentRange?.From == have;
        if (!resumed) have = 0; // a plain 200 (or a range we did not ask for) is the whole file from the start

        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        await using var output = new FileStream(partial, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
        await using var input = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var buffer = new byte[BufferSize];
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        long received = 0;
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        while (true)
        {
            stall.CancelAfter(settings.StallTimeout);
            int n;
            try { n = await input.ReadAsync(buffer, stall.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new IOException($"no data for {settings.StallTimeout.TotalSeconds:0} s");
            }
            if (n == 0) break;
            await output.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
            received += n;
            if (clock.Elapsed - lastReport >= ReportEvery)
            {
                lastReport = clock.Elapsed;
                progress?.Report(new PullProgress(PullPhase.Downloading, file.Path, have + received, file.Size, received / Math.Max(clock.Elapsed.TotalSeconds, 1e-3)));
            }
        }
        await output.FlushAsync(ct).ConfigureAwait(false);
        progress?.Report(new PullProgress(PullPhase.Downloading, file.Path, have + received, file.Size, received / Math.Max(clock.Elapsed.TotalSeconds, 1e-3)));
        if (file.Size >= 0 && have + received < file.Size)
            throw new IOException($"the connection closed after {have + received:N0} of {file.Size:N0} bytes");
    }

    /// <summary>Failures worth another try: the network, the server's side (5xx), a stall. Not: the user cancelling, a clear refusal.</summary>
    private static bool IsTransient(Exception e, CancellationToken ct) =>
        !ct.IsCancellationRequested && e is HttpRequestException or IOException or TaskCanceledException;

    private static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
