using System.Security.Cryptography;
using System.Text;
using Baimo.Server.Errors;

namespace Baimo.Server.Security;

/// <summary>
/// With a key configured, every route but <c>/health</c> and <c>GET /</c> (the chat page) needs <c>Authorization: Bearer KEY</c>; anything else
/// is 401 with <c>WWW-Authenticate: Bearer</c>. Keys are compared in constant time.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, Baimo.Hosting.ServeOptions options)
{
    private readonly byte[]? _key = options.ApiKey is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.ApiKey));

    public Task InvokeAsync(HttpContext context)
    {
        if (_key is null || IsOpen(context.Request)) return next(context);
        string header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
            return RefuseAsync(context, "Missing API key: send it as 'Authorization: Bearer KEY'.");
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return RefuseAsync(context, "The Authorization header must be 'Bearer KEY'.");
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[7..].Trim()));
        if (!CryptographicOperations.FixedTimeEquals(given, _key))
            return RefuseAsync(context, "Incorrect API key provided.");
        return next(context);
    }

    /// <summary><c>/health</c>, and <c>GET /</c> (the static chat page; its API calls carry the key).</summary>
    private static bool IsOpen(HttpRequest request) =>
        request.Path.Equals("/health", StringComparison.Ordinal)
        || (HttpMethods.IsGet(request.Method) && request.Path.Equals("/", StringComparison.Ordinal));

    private static Task RefuseAsync(HttpContext context, string message)
    {
        return ErrorHandlingMiddleware.WriteAsync(context, new ApiException(401, message, null, "invalid_api_key") { Challenge = true });
    }
}
