using System.Runtime.CompilerServices;
using System.Text;
using Baimo.Knowledge.Retrieval;
using Microsoft.Extensions.AI;

namespace Baimo.Knowledge.Answers;

/// <summary>
/// Answers a question from retrieved chunks with numbered citations: packs the best hits into the context
/// budget, asks the chat model to answer only from them, streams the answer while checking its citations, and
/// ends with the source list marking what was cited. When retrieval found nothing relevant the model is not
/// called at all — a fixed "don't know" in the question's language is both cheaper and more honest than
/// asking a model to answer from nothing.
/// </summary>
public sealed class AnswerComposer(IChatClient chat, AnswerOptions? options = null)
{
    readonly AnswerOptions _options = options ?? new AnswerOptions();

    /// <summary>The sources and messages that would be sent for this question; null when the gate says "don't know".</summary>
    public (List<AnswerSource> Sources, List<ChatMessage> Messages)? Prepare(string question, IReadOnlyList<SearchHit> hits)
    {
        if (!RelevanceGate.AnyRelevant(hits, _options)) return null;
        var sources = SourcePacker.Pack(hits, _options);
        if (sources.Count == 0) return null;
        return (sources, PromptBuilder.Build(question, sources, QuestionLanguage.Detect(question)));
    }

    public async IAsyncEnumerable<AnswerUpdate> AnswerAsync(string question, IReadOnlyList<SearchHit> hits,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(question);
        var language = QuestionLanguage.Detect(question);
        if (Prepare(question, hits) is not var (sources, messages))
        {
            var dontKnow = QuestionLanguage.DontKnow(language);
            yield return new AnswerTextUpdate(dontKnow);
            yield return new AnswerCompletedUpdate(new Answer(dontKnow, [], [], language, ModelCalled: false));
            yield break;
        }

        var filter = new CitationFilter(sources.Count);
        var text = new StringBuilder();
        await foreach (var update in chat.GetStreamingResponseAsync(messages, _options.ChatOptions, cancellationToken))
        {
            var shown = filter.Push(update.Text);
            if (shown.Length == 0) continue;
            text.Append(shown);
            yield return new AnswerTextUpdate(shown);
        }
        var rest = filter.Flush();
        if (rest.Length > 0)
        {
            text.Append(rest);
            yield return new AnswerTextUpdate(rest);
        }
        var marked = sources.Select(s => s with { Cited = filter.Cited.Contains(s.Number) }).ToList();
        yield return new AnswerCompletedUpdate(new Answer(text.ToString(), marked, filter.Invalid.ToList(), language, ModelCalled: true));
    }

    /// <summary>The whole answer at once, for callers that do not stream.</summary>
    public async Task<Answer> AnswerAllAsync(string question, IReadOnlyList<SearchHit> hits, CancellationToken cancellationToken = default)
    {
        await foreach (var update in AnswerAsync(question, hits, cancellationToken))
            if (update is AnswerCompletedUpdate done) return done.Answer;
        throw new InvalidOperationException("the answer stream ended without its completion");
    }
}
