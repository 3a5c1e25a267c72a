namespace Baimo.Knowledge.Answers;

/// <summary>
/// What <see cref="AnswerComposer.AnswerAsync"/> yields: any number of <see cref="AnswerTextUpdate"/> while the
/// answer streams, then exactly one <see cref="AnswerCompletedUpdate"/> with the sources.
/// </summary>
public abstract record AnswerUpdate;

/// <summary>A piece of answer text, already cleaned of citations to sources that do not exist.</summary>
public sealed record AnswerTextUpdate(string Text) : AnswerUpdate;

/// <summary>The end of the answer.</summary>
public sealed record AnswerCompletedUpdate(Answer Answer) : AnswerUpdate;

/// <summary>A finished answer.</summary>
/// <param name="Text">The whole answer as streamed (invalid citations removed).</param>
/// <param name="Sources">The numbered sources given to the model, in number order; <see cref="AnswerSource.Cited"/> marks the cited ones.</param>
/// <param name="InvalidCitations">Numbers the model cited that match no source (removed from <paramref name="Text"/>), in order of appearance.</param>
/// <param name="Language">The language of the question, and so of the answer.</param>
/// <param name="ModelCalled">False when nothing relevant was retrieved and the answer is the fixed "don't know".</param>
public sealed record Answer(
    string Text,
    IReadOnlyList<AnswerSource> Sources,
    IReadOnlyList<int> InvalidCitations,
    AnswerLanguage Language,
    bool ModelCalled)
{
    public IEnumerable<AnswerSource> CitedSources => Sources.Where(s => s.Cited);
}
