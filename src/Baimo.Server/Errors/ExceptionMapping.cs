using System.Text.Json;
using Baimo.AI;
using Baimo.Hosting.Knowledge;
using Baimo.Hosting.Serving;
using Baimo.Models;
using Baimo.Templates;

namespace Baimo.Server.Errors;

/// <summary>What each exception means to a client: bad input is a 4xx with a clear message, never a 500.</summary>
public static class ExceptionMapping
{
    public static ApiException ToApi(Exception e) => e switch
    {
        ApiException a => a,
        ModelNotFoundException m => new ApiException(404, m.Message, "model", "model_not_found"),
        KnowledgeBaseNotFoundException kb => new ApiException(404, kb.Message, "name", "knowledge_base_not_found"),
        KnowledgeBaseUnavailableException u => new ApiException(500, u.Message, "name", "knowledge_base_unavailable", "server_error"),
        ModelTooLargeException big => new ApiException(400, big.Message, "model", "model_too_large"),
        BadHttpRequestException { StatusCode: 413 } => TooLarge(),
        BadHttpRequestException b => new ApiException(b.StatusCode, b.Message),
        JsonException j => ApiException.BadRequest($"the body is not valid JSON: {j.Message}", code: "invalid_json"),
        ContextFullException c => new ApiException(400,
            $"This model's context is {c.ContextLength} tokens per request, but the request needs {c.Position + c.Tokens}. Shorten the messages or ask for fewer tokens.",
            "messages", "context_length_exceeded"),
        EngineBusyException busy => new ApiException(503, busy.Message, null, "server_busy", "server_error")
        {
            RetryAfter = busy.RetryAfter > TimeSpan.Zero ? busy.RetryAfter : TimeSpan.FromSeconds(1),
        },
        TemplateException t => new ApiException(400, $"the model's chat template refused the conversation: {t.Message}", "messages", "template_error"),
        NotSupportedException n => new ApiException(400, n.Message, ParamOf(n.Message), "unsupported_parameter"),
        ArgumentException a => new ApiException(400, a.Message, a.ParamName, "invalid_value"),
        _ => new ApiException(500, "the server failed to handle the request; see its log", null, null, "server_error"),
    };

    public static ApiException TooLarge() => new(413, "the request body is larger than the server accepts", null, "request_too_large");

    private static string? ParamOf(string message) =>
        message.StartsWith("response_format", StringComparison.Ordinal) ? "response_format" : null;
}
