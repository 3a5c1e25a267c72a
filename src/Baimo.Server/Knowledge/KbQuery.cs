using Baimo.Knowledge.Retrieval;
using Baimo.Server.Errors;
using Baimo.Server.Http;

namespace Baimo.Server.Knowledge;

/// <summary>The retrieval fields shared by search and ask: the text, k, mode and the source/type filter.</summary>
public sealed record KbQuery(string Text, int K, SearchMode Mode, SearchFilter Filter)
{
    public const int MaxK = 100;

    /// <param name="r">The request body.</param>
    /// <param name="textField">"query" for search, "question" for ask.</param>
    /// <param name="defaultK">How many hits when the request does not say.</param>
    public static KbQuery Parse(JsonRequest r, string textField, int defaultK)
    {
        var text = r.String(textField);
        if (string.IsNullOrWhiteSpace(text))
            throw ApiException.BadRequest($"'{textField}' is required and must not be empty", textField,
                text is null ? "missing_required_parameter" : "invalid_value");
        int k = r.Int("k", 1, MaxK) ?? defaultK;
        var mode = KbModes.Parse(r);
        var source = r.String("source");
        var types = r.Strings("types", 64)?.Select(Extension).ToList();
        return new KbQuery(text, k, mode, new SearchFilter(string.IsNullOrEmpty(source) ? null : source, types));
    }

    /// <summary>"pdf", ".PDF" and ".pdf" all mean the filter's ".pdf".</summary>
    private static string Extension(string type)
    {
        var t = type.Trim().ToLowerInvariant();
        return t.StartsWith('.') ? t : "." + t;
    }
}
