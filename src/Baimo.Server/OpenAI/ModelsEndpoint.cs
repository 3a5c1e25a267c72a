using System.Text.Json;
using Baimo.Hosting;
using Baimo.Hosting.Serving;
using Baimo.Server.Errors;
using Baimo.Server.Http;

namespace Baimo.Server.OpenAI;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>: the served model(s), or every model in the served store.</summary>
public static class ModelsEndpoint
{
    public static Task ListAsync(HttpContext context, ModelRouter models) => JsonOut.WriteAsync(context, 200, w =>
    {
        w.WriteStartObject();
        w.WriteString("object", "list");
        w.WriteStartArray("data");
        if (models.Single is { } host)
            foreach (var id in host.ModelIds) Model(w, id, host.LoadedAt);
        else
            foreach (var m in models.Store!.List()) Model(w, m.Name, m.PulledAt);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static Task GetAsync(HttpContext context, ModelRouter models, string id)
    {
        if (models.Single is not { } host)
        {
            var m = models.Store!.Find(id) ?? throw ApiException.ModelNotFound(id);
            return JsonOut.WriteAsync(context, 200, w => Model(w, m.Name, m.PulledAt));
        }
        var found = host.ModelIds.FirstOrDefault(m => m == id || host.IsChatModel(id) && m == host.ModelId || host.IsEmbeddingModel(id) && m == host.EmbeddingGenerator!.ModelId);
        if (found is null) throw ApiException.ModelNotFound(id);
        return JsonOut.WriteAsync(context, 200, w => Model(w, found, host.LoadedAt));
    }

    private static void Model(Utf8JsonWriter w, string id, DateTimeOffset created)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", "model");
        w.WriteNumber("created", created.ToUnixTimeSeconds());
        w.WriteString("owned_by", "baimo");
        w.WriteEndObject();
    }
}
