using Baimo.Knowledge;
using Baimo.Knowledge.Retrieval;
using Baimo.Server.Errors;
using Baimo.Server.Http;

namespace Baimo.Server.Knowledge;

/// <summary>Search modes as the API spells them (<c>fulltext</c>, <c>vector</c>, <c>hybrid</c>).</summary>
public static class KbModes
{
    public static string Name(SearchMode mode) => mode switch
    {
        SearchMode.Vector => "vector",
        SearchMode.Hybrid => "hybrid",
        _ => "fulltext",
    };

    /// <summary>The requested mode, or <see cref="SearchMode.Default"/> when absent.</summary>
    public static SearchMode Parse(JsonRequest r) => r.String("mode") switch
    {
        null => SearchMode.Default,
        "fulltext" => SearchMode.FullText,
        "vector" => SearchMode.Vector,
        "hybrid" => SearchMode.Hybrid,
        var other => throw r.Invalid("mode", $"must be fulltext, vector or hybrid (got '{other}')"),
    };

    /// <summary>
    /// Refuses a mode the base cannot answer here rather than letting the search fail later: a 400 that says why
    /// beats the 500 an unexpected exception would become.
    /// </summary>
    public static void Check(KnowledgeBase kb, string name, SearchMode mode)
    {
        if (mode is SearchMode.Vector or SearchMode.Hybrid && !kb.HasEmbeddings)
            throw ApiException.BadRequest(
                $"'{KbModes.Name(mode)}' search needs an embedding model, and the knowledge base '{name}' was built without one; use 'fulltext'",
                "mode", "invalid_value");
    }
}
