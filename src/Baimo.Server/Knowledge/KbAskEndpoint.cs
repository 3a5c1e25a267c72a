using System.Text.Json;
using Baimo.Hosting.Knowledge;
using Baimo.Hosting.Serving;
using Baimo.Knowledge.Answers;
using Baimo.Server.Errors;
using Baimo.Server.Http;
using Microsoft.Extensions.AI;

namespace Baimo.Server.Knowledge;

/// <summary>
/// <c>POST /v1/kb/{name}/ask</c>: retrieves from one base and answers with numbered citations from the chat model
/// the request names. Streamed as SSE (sources, text deltas, the finished answer) or returned whole.
/// </summary>
public static class KbAskEndpoint
{
    public static async Task HandleAsync(HttpContext context, string name, KnowledgeBases bases, ModelRouter models)
    {
        var kb = bases.Get(name);
        using var body = await RequestBody.ReadJsonAsync(context, models.Options.MaxBodyBytes);
        var r = new JsonRequest(body.RootElement);
        var query = KbQuery.Parse(r, "question", 8);
        var model = r.String("model");
        bool stream = r.Bool("stream") ?? false;
        int? maxTokens = r.Int("max_tokens", 1, int.MaxValue);
        float? temperature = r.Float("temperature", 0, 2);
        r.RejectUnknown();
        KbModes.Check(kb, name, query.Mode);

        var ct = context.RequestAborted;
        // The model is resolved even when the answer will be "don't know", so a wrong name is always a 404.
        using var lease = await models.AcquireAsync(model, ct);
        if (!lease.Host.IsChatModel(model)) throw ApiException.ModelNotFound(model!);
        var hits = await kb.SearchAsync(query.Text, query.K, query.Filter, query.Mode, ct);
        var composer = new AnswerComposer(lease.Host.ChatClient, new AnswerOptions
        {
            ChatOptions = new ChatOptions { MaxOutputTokens = maxTokens, Temperature = temperature },
        });

        if (stream) await StreamAsync(context, composer, query.Text, hits, name, lease.Host.ModelId);
        else
        {
            var answer = await composer.AnswerAllAsync(query.Text, hits, ct);
            await JsonOut.WriteAsync(context, 200, w => Completed(w, "kb.answer", answer, name, lease.Host.ModelId));
        }
    }

    private static async Task StreamAsync(HttpContext context, AnswerComposer composer, string question,
        IReadOnlyList<Baimo.Knowledge.Retrieval.SearchHit> hits, string name, string modelId)
    {
        // Prepare packs the same sources AnswerAsync will: a client can show them before the first word arrives.
        var sources = composer.Prepare(question, hits)?.Sources ?? [];
        var sse = EventStream.ServerSentEvents(context);
        await sse.WriteAsync(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "sources");
            KbJsonWriter.Sources(w, sources, withCited: false);
            w.WriteEndObject();
        });
        await foreach (var update in composer.AnswerAsync(question, hits, context.RequestAborted))
        {
            if (update is AnswerTextUpdate text)
                await sse.WriteAsync(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("type", "delta");
                    w.WriteString("content", text.Text);
                    w.WriteEndObject();
                });
            else if (update is AnswerCompletedUpdate done)
                await sse.WriteAsync(w => Completed(w, "done", done.Answer, name, modelId));
        }
        await sse.DoneAsync();
    }

    private static void Completed(Utf8JsonWriter w, string type, Answer answer, string name, string modelId)
    {
        w.WriteStartObject();
        w.WriteString(type == "done" ? "type" : "object", type);
        w.WriteString("knowledge_base", name);
        w.WriteString("model", modelId);
        w.WriteString("answer", answer.Text);
        w.WriteBoolean("known", answer.ModelCalled);
        w.WriteString("language", answer.Language.ToString().ToLowerInvariant());
        KbJsonWriter.Numbers(w, "cited", answer.CitedSources.Select(s => s.Number));
        KbJsonWriter.Numbers(w, "invalid_citations", answer.InvalidCitations);
        KbJsonWriter.Sources(w, answer.Sources, withCited: true);
        w.WriteEndObject();
    }
}
