using System.Text.Json;
using Baimo.Server.Errors;
using Microsoft.AspNetCore.Http.Features;

namespace Baimo.Server.Http;

/// <summary>Reads a request's JSON body, refusing bodies over the configured limit (413) and malformed JSON (400).</summary>
public static class RequestBody
{
    public static async Task<JsonDocument> ReadJsonAsync(HttpContext context, long limit)
    {
        var request = context.Request;
        if (request.ContentLength is { } declared && declared > limit) throw ExceptionMapping.TooLarge();
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } f) f.MaxRequestBodySize = limit;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            int n = await request.Body.ReadAsync(chunk, context.RequestAborted);
            if (n == 0) break;
            if (buffer.Length + n > limit) throw ExceptionMapping.TooLarge();
            buffer.Write(chunk, 0, n);
        }
        if (buffer.Length == 0) throw ApiException.BadRequest("the request body is empty; send a JSON object", code: "invalid_json");
        try
        {
            return JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the body is not valid JSON: {e.Message}", code: "invalid_json");
        }
    }
}
