using Baimo.Server.Http;

namespace Baimo.Server.Errors;

/// <summary>
/// Turns every exception a request causes into an error response in its API's shape. A client that went
/// away is not an error; a response already streaming cannot change its status (the stream writes its own
/// error event).
/// </summary>
public sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> log)
{
    /// <summary>Status recorded for requests whose client disconnected (nginx's convention).</summary>
    public const int ClientClosedRequest = 499;

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            if (!context.Response.HasStarted) context.Response.StatusCode = ClientClosedRequest;
        }
        catch (Exception e)
        {
            var api = ExceptionMapping.ToApi(e);
            if (api.Status >= 500 && api.Status != 503) log.LogError(e, "request {Path} failed", context.Request.Path);
            if (context.Response.HasStarted)
            {
                log.LogWarning("request {Path} failed after its response started: {Message}", context.Request.Path, e.Message);
                context.Abort();
                return;
            }
            await WriteAsync(context, api);
        }
    }

    public static Task WriteAsync(HttpContext context, ApiException api)
    {
        context.Response.Clear();
        if (api.Challenge) context.Response.Headers.WWWAuthenticate = "Bearer";
        if (api.RetryAfter is { } retry) context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString();
        bool ollama = ErrorBody.IsOllamaRoute(context.Request.Path);
        return JsonOut.WriteAsync(context, api.Status, w => ErrorBody.Write(w, api, ollama));
    }
}
