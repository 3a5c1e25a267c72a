namespace Baimo.Server.Web;

/// <summary>
/// <c>GET /</c>: a self-contained chat page (inline CSS and script, embedded in the assembly) that talks to
/// <c>/v1/models</c> and <c>/v1/chat/completions</c>. The page itself needs no key; its API calls carry one.
/// </summary>
public static class ChatPageEndpoints
{
    private const string ResourceName = "Baimo.Server.Web.chat.html";

    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = typeof(ChatPageEndpoints).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static IEndpointRouteBuilder MapChatPageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            context.Response.Headers["Content-Security-Policy"] =
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
            return Results.Bytes(Page.Value, "text/html; charset=utf-8");
        });
        return app;
    }
}
