using Baimo.Hosting.Knowledge;
using Baimo.Server.Http;

namespace Baimo.Server.Knowledge;

/// <summary><c>GET /v1/kb</c>: every base in the catalog with its size, embedding model and default search mode.</summary>
public static class KbListEndpoint
{
    public static async Task HandleAsync(HttpContext context, KnowledgeBases bases)
    {
        var rows = bases.Names().Select(bases.Describe).ToList();
        await JsonOut.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            foreach (var r in rows)
            {
                w.WriteStartObject();
                w.WriteString("object", "knowledge_base");
                w.WriteString("name", r.Name);
                w.WriteNumber("documents", r.Documents);
                w.WriteNumber("chunks", r.Chunks);
                if (r.EmbeddingModel is null) w.WriteNull("embedding_model"); else w.WriteString("embedding_model", r.EmbeddingModel);
                w.WriteString("default_mode", KbModes.Name(r.DefaultMode));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
