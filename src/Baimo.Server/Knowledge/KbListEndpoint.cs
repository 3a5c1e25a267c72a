using Baimo.Hosting.Knowledge;
using Baimo.Server.Http;

namespace Baimo.Server.Knowledge;

/// <summary><c>GET /v1/kb</c>: every base in the catalog with its size, embedding model and default search mode.</summary>
public static class KbListEndpoint
{
    public static async Task HandleAsync(HttpContext context, KnowledgeBases bases)
    {
        var rows = new List<(string Name, int Documents, int Chunks, string? Model, string Mode)>();
        foreach (var name in bases.Names())
        {
            var kb = bases.Get(name);
            var docs = kb.Documents();
            rows.Add((name, docs.Count, docs.Sum(d => d.Chunks), kb.EmbeddingModel, KbModes.Name(kb.DefaultSearchMode)));
        }
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
                if (r.Model is null) w.WriteNull("embedding_model"); else w.WriteString("embedding_model", r.Model);
                w.WriteString("default_mode", r.Mode);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
