using Baimo.Hosting.Knowledge;
using Baimo.Hosting.Serving;
using Baimo.Server.Http;

namespace Baimo.Server.Knowledge;

/// <summary><c>POST /v1/kb/{name}/search</c>: the best-matching chunks of one base, with their scores.</summary>
public static class KbSearchEndpoint
{
    public static async Task HandleAsync(HttpContext context, string name, KnowledgeBases bases, ModelRouter models)
    {
        var kb = bases.Get(name);
        using var body = await RequestBody.ReadJsonAsync(context, models.Options.MaxBodyBytes);
        var r = new JsonRequest(body.RootElement);
        var query = KbQuery.Parse(r, "query", 5);
        r.RejectUnknown();
        KbModes.Check(kb, name, query.Mode);

        var hits = await kb.SearchAsync(query.Text, query.K, query.Filter, query.Mode, context.RequestAborted);
        await JsonOut.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteString("knowledge_base", name);
            w.WriteStartArray("data");
            foreach (var h in hits) KbJsonWriter.Hit(w, h);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
