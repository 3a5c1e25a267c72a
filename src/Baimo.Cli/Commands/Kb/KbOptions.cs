using System.CommandLine;
using Baimo.Knowledge.Retrieval;

namespace Baimo.Cli.Commands.Kb;

/// <summary>Search options shared by <c>kb search</c> and <c>kb ask</c>.</summary>
internal static class KbOptions
{
    public static Option<string?> Mode()
    {
        var o = new Option<string?>("--mode") { Description = "fulltext, vector or hybrid (default: the base's own)" };
        o.AcceptOnlyFromAmong("fulltext", "vector", "hybrid");
        return o;
    }

    public static Option<string?> SourcePrefix() =>
        new("--source") { Description = "Only documents whose name starts with this (a folder such as 'handbook/hr/' or a file)" };

    public static Option<string[]> Types() =>
        new("--type") { Description = "Only documents of these types (pdf, docx …); repeatable", AllowMultipleArgumentsPerToken = true };

    public static SearchMode ReadMode(ParseResult pr, Option<string?> mode) => pr.GetValue(mode) switch
    {
        "fulltext" => SearchMode.FullText,
        "vector" => SearchMode.Vector,
        "hybrid" => SearchMode.Hybrid,
        _ => SearchMode.Default,
    };

    public static SearchFilter ReadFilter(ParseResult pr, Option<string?> source, Option<string[]> types)
    {
        var exts = (pr.GetValue(types) ?? []).Select(t => "." + t.TrimStart('.').ToLowerInvariant()).ToArray();
        return new SearchFilter(pr.GetValue(source), exts.Length == 0 ? null : exts);
    }
}
