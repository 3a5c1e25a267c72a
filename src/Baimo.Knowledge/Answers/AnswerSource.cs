using Baimo.Knowledge.Retrieval;

namespace Baimo.Knowledge.Answers;

/// <summary>One numbered source as it was given to the model and listed under the answer.</summary>
/// <param name="Number">The number the answer cites it by ([1] is the best-ranked hit).</param>
/// <param name="Source">The document's path or file name.</param>
/// <param name="Location">"page 3", "sheet Sales", "slide 4", or null.</param>
/// <param name="HeadingPath">Headings above the chunk, outermost first.</param>
/// <param name="PromptText">The chunk text as it went into the prompt (cut at a sentence end when over budget).</param>
/// <param name="Excerpt">A short excerpt for display.</param>
/// <param name="Truncated">The prompt text is shorter than the chunk.</param>
/// <param name="Cited">The answer cites this number.</param>
/// <param name="Hit">The retrieval hit, with its scores.</param>
public sealed record AnswerSource(
    int Number,
    string Source,
    string? Location,
    IReadOnlyList<string> HeadingPath,
    string PromptText,
    string Excerpt,
    bool Truncated,
    bool Cited,
    SearchHit Hit)
{
    /// <summary>"handbook.pdf, page 3, Travel > Hotels": how the source is named in the prompt and in listings.</summary>
    public string Label
    {
        get
        {
            var parts = new List<string> { Source };
            if (Location is not null) parts.Add(Location);
            if (HeadingPath.Count > 0) parts.Add(string.Join(" > ", HeadingPath));
            return string.Join(", ", parts);
        }
    }
}
