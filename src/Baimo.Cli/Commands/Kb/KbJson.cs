using System.Text.Encodings.Web;
using System.Text.Json;
using Baimo.Knowledge.Retrieval;

namespace Baimo.Cli.Commands.Kb;

/// <summary>How hits are shown: as JSON (snake_case, Chinese left readable) and as one-line locations.</summary>
internal static class KbJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    public static object Hit(SearchHit h) => new Dictionary<string, object?>
    {
        ["rank"] = h.Rank,
        ["score"] = h.Score,
        ["fulltext_score"] = h.FullTextScore,
        ["vector_score"] = h.VectorScore,
        ["source"] = h.Source,
        ["location"] = h.Location,
        ["headings"] = h.HeadingPath,
        ["start"] = h.Start,
        ["length"] = h.Length,
        ["chunk_id"] = h.ChunkId,
        ["text"] = h.Text,
    };

    /// <summary>"handbook/leave.docx · page 3 · Leave › Annual leave"</summary>
    public static string Where(SearchHit h)
    {
        var parts = new List<string> { h.Source };
        if (h.Location != null) parts.Add(h.Location);
        if (h.HeadingPath.Count > 0) parts.Add(string.Join(" › ", h.HeadingPath));
        return string.Join(" · ", parts);
    }

    public static string Excerpt(string text, int max) =>
        text.Length <= max ? text : text[..max].TrimEnd() + " …";
}
