using System.Buffers;
using System.Text.Json;

namespace Baimo.Server.Http;

/// <summary>
/// A streamed response: Server-Sent Events (<c>data: {json}\n\n</c> … <c>data: [DONE]\n\n</c>) for the
/// OpenAI routes, newline-delimited JSON for Ollama's. Each event is flushed at once; the connection stays
/// open for the next request afterwards (keep-alive).
/// </summary>
public sealed class EventStream
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] LineEnd = "\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    private readonly HttpContext _context;
    private readonly bool _sse;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    private EventStream(HttpContext context, bool sse)
    {
        _context = context;
        _sse = sse;
    }

    public static EventStream ServerSentEvents(HttpContext context) => Start(context, true, "text/event-stream; charset=utf-8");
    public static EventStream Ndjson(HttpContext context) => Start(context, false, "application/x-ndjson");

    private static EventStream Start(HttpContext context, bool sse, string contentType)
    {
        var r = context.Response;
        r.StatusCode = 200;
        r.ContentType = contentType;
        r.Headers.CacheControl = "no-cache";
        r.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        return new EventStream(context, sse);
    }

    public async Task WriteAsync(Action<Utf8JsonWriter> write)
    {
        _buffer.ResetWrittenCount();
        if (_sse) _buffer.Write(DataPrefix);
        using (var w = new Utf8JsonWriter(_buffer)) write(w);
        _buffer.Write(_sse ? EventEnd : LineEnd);
        await _context.Response.Body.WriteAsync(_buffer.WrittenMemory, _context.RequestAborted);
        await _context.Response.Body.FlushAsync(_context.RequestAborted);
    }

    /// <summary>The SSE terminator <c>data: [DONE]</c> (nothing for NDJSON).</summary>
    public async Task DoneAsync()
    {
        if (_sse) await _context.Response.Body.WriteAsync(Done, _context.RequestAborted);
        await _context.Response.Body.FlushAsync(_context.RequestAborted);
    }
}
