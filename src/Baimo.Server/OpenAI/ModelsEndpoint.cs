using System.Text.Json;
using Baimo.Hosting;
using Baimo.Server.Errors;
using Baimo.Server.Http;

namespace Baimo.Server.OpenAI;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>.</summary>
public static class ModelsEndpoint
{
    public static Task ListAsync(HttpContext context, ModelHost host) => JsonOut.WriteAsync(context, 200, w =>
    {
        w.WriteStartObject();
        w.WriteString("object", "list");
        w.WriteStartArray("data");
        foreach (var id in host.ModelIds) Model(w, id, host);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static Task GetAsync(HttpContext context, ModelHost host, string id)
    {
        var found = host.ModelIds.FirstOrDefault(m => m == id || host.IsChatModel(id) && m == host.ModelId || host.IsEmbeddingModel(id) && m == host.EmbeddingGenerator!.ModelId);
        if (found is null) throw ApiException.ModelNotFound(id);
        return JsonOut.WriteAsync(context, 200, w => Model(w, found, host));
    }

    private static void Model(Utf8JsonWriter w, string id, ModelHost host)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", "model");
        w.WriteNumber("created", host.LoadedAt.ToUnixTimeSeconds());
        w.WriteString("owned_by", "baimo");
        w.WriteEndObject();
    }
}
