using System.Text.Json;

namespace Baimo.Server.Errors;

/// <summary>
/// Error bodies as each API's clients expect them: OpenAI's <c>{"error":{"message","type","param","code"}}</c>,
/// Ollama's <c>{"error":"message"}</c> (for routes under <c>/api/</c>).
/// </summary>
public static class ErrorBody
{
    public static bool IsOllamaRoute(PathString path) => path.StartsWithSegments("/api");

    public static void Write(Utf8JsonWriter w, ApiException e, bool ollama)
    {
        w.WriteStartObject();
        if (ollama) w.WriteString("error", e.Message);
        else
        {
            w.WriteStartObject("error");
            w.WriteString("message", e.Message);
            w.WriteString("type", e.Type);
            if (e.Param is null) w.WriteNull("param"); else w.WriteString("param", e.Param);
            if (e.Code is null) w.WriteNull("code"); else w.WriteString("code", e.Code);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}
