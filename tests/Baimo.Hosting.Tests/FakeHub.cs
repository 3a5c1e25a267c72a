using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Baimo.Hosting.Tests;

/// <summary>
/// A stand-in for Hugging Face and ModelScope on 127.0.0.1: their file-list APIs and download routes over
/// files the test registers, with Range support and switches for the failures a pull must survive.
/// </summary>
public sealed class FakeHub : IAsyncDisposable
{
    /// <summary>A repository file: its bytes, and optionally what the listing claims (to fake a corrupted transfer).</summary>
    public sealed record FakeFile(byte[] Bytes, string? ListedSha256 = null)
    {
        public string Sha256 => ListedSha256 ?? Convert.ToHexStringLower(SHA256.HashData(Bytes));
    }

    /// <summary>A download request as the server saw it.</summary>
    public sealed record Download(string Repository, string File, string? Range);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, FakeFile>> _repos = new(StringComparer.Ordinal);
    private int _drops;

    private FakeHub(WebApplication app) => _app = app;

    public string Endpoint { get; private set; } = "";
    public ConcurrentQueue<Download> Downloads { get; } = new();
    /// <summary>When set, the next this-many downloads send only this many bytes and then drop the connection.</summary>
    public long DropAfterBytes { get; set; }
    /// <summary>Downloads still to be dropped.</summary>
    public int DropCount { get => _drops; set => _drops = value; }
    /// <summary>Pause between 64 KiB chunks, so that concurrent pulls really overlap.</summary>
    public TimeSpan ChunkDelay { get; set; }

    public void Add(string repository, string file, FakeFile content) =>
        _repos.GetOrAdd(repository, _ => new(StringComparer.Ordinal))[file] = content;

    public void Add(string repository, string file, string sourcePath) => Add(repository, file, new FakeFile(File.ReadAllBytes(sourcePath)));

    public static async Task<FakeHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var hub = new FakeHub(app);
        app.MapGet("/api/models/{owner}/{repo}/tree/main", (string owner, string repo) => hub.HfTree(owner + "/" + repo));
        app.MapGet("/{owner}/{repo}/resolve/main/{**file}", (HttpContext c, string owner, string repo, string file) => hub.SendAsync(c, owner + "/" + repo, file));
        app.MapGet("/api/v1/models/{owner}/{repo}/repo/files", (string owner, string repo) => hub.ModelScopeFiles(owner + "/" + repo));
        app.MapGet("/models/{owner}/{repo}/resolve/master/{**file}", (HttpContext c, string owner, string repo, string file) => hub.SendAsync(c, owner + "/" + repo, file));
        await app.StartAsync();
        hub.Endpoint = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return hub;
    }

    private IResult HfTree(string repo)
    {
        if (!_repos.TryGetValue(repo, out var files)) return Results.Json(new { error = "Repository not found" }, statusCode: 404);
        return Results.Json(files.Select(f => f.Key.EndsWith(".gguf")
            ? (object)new { type = "file", path = f.Key, size = f.Value.Bytes.Length, lfs = new { oid = f.Value.Sha256, size = f.Value.Bytes.Length, pointerSize = 134 } }
            : new { type = "file", path = f.Key, size = f.Value.Bytes.Length }));
    }

    private IResult ModelScopeFiles(string repo)
    {
        // ModelScope answers a missing repository with a 200 and Success=false.
        if (!_repos.TryGetValue(repo, out var files)) return Results.Json(new { Code = 10010205001, Message = "model not found", Success = false });
        return Results.Json(new
        {
            Code = 200,
            Data = new { Files = files.Select(f => new { Name = Path.GetFileName(f.Key), Path = f.Key, Size = f.Value.Bytes.Length, Sha256 = f.Value.Sha256, Type = "blob" }) },
            Success = true,
        });
    }

    private async Task SendAsync(HttpContext c, string repo, string file)
    {
        var range = c.Request.Headers.Range.ToString();
        Downloads.Enqueue(new Download(repo, file, range.Length == 0 ? null : range));
        if (!_repos.TryGetValue(repo, out var files) || !files.TryGetValue(file, out var f)) { c.Response.StatusCode = 404; return; }
        var bytes = f.Bytes;
        long start = 0;
        if (range.StartsWith("bytes=") && range.EndsWith('-') && long.TryParse(range[6..^1], out var from))
        {
            if (from >= bytes.Length) { c.Response.StatusCode = 416; return; }
            start = from;
            c.Response.StatusCode = 206;
            c.Response.Headers.ContentRange = $"bytes {start}-{bytes.Length - 1}/{bytes.Length}";
        }
        c.Response.ContentLength = bytes.Length - start;
        c.Response.ContentType = "application/octet-stream";
        bool drop = DropAfterBytes > 0 && Interlocked.Decrement(ref _drops) >= 0;
        long end = drop ? Math.Min(bytes.Length, start + DropAfterBytes) : bytes.Length;
        for (long at = start; at < end; at += 65536)
        {
            int n = (int)Math.Min(65536, end - at);
            await c.Response.Body.WriteAsync(bytes.AsMemory((int)at, n));
            await c.Response.Body.FlushAsync();
            if (ChunkDelay > TimeSpan.Zero) await Task.Delay(ChunkDelay);
        }
        if (drop)
        {
            // A reset discards bytes the client has not read yet; a moment's grace lets most of them arrive.
            await Task.Delay(100);
            c.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
