namespace Baimo.Server.Errors;

/// <summary>A request the server refuses, with the HTTP status and OpenAI's error fields.</summary>
public sealed class ApiException(int status, string message, string? param = null, string? code = null, string type = "invalid_request_error")
    : Exception(message)
{
    public int Status { get; } = status;
    public string? Param { get; } = param;
    public string? Code { get; } = code;
    public string Type { get; } = type;
    /// <summary>Sent as Retry-After (503).</summary>
    public TimeSpan? RetryAfter { get; init; }
    /// <summary>Sends <c>WWW-Authenticate: Bearer</c> (401).</summary>
    public bool Challenge { get; init; }

    public static ApiException BadRequest(string message, string? param = null, string? code = null) => new(400, message, param, code);

    public static ApiException Unsupported(string param, string why) =>
        new(400, $"'{param}' is not supported: {why}", param, "unsupported_parameter");

    public static ApiException ModelNotFound(string model) =>
        new(404, $"The model '{model}' does not exist or is not served here", "model", "model_not_found");
}
