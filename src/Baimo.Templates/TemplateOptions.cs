namespace Baimo.Templates;

/// <summary>Limits and environment of a render.</summary>
public sealed record TemplateOptions
{
    /// <summary>Default options: limits sized for chat templates, local clock.</summary>
    public static TemplateOptions Default { get; } = new();

    /// <summary>Most statements, loop iterations and calls one render may execute.</summary>
    public long MaxSteps { get; init; } = 5_000_000;

    /// <summary>Deepest macro/loop-recursion nesting.</summary>
    public int MaxCallDepth { get; init; } = 200;

    /// <summary>Longest output (and longest string a single operation may build), in UTF-16 units.</summary>
    public int MaxOutputLength { get; init; } = 16 * 1024 * 1024;

    /// <summary>The clock <c>strftime_now</c> reads; null means the local time.</summary>
    public Func<DateTime>? Now { get; init; }

    /// <summary>
    /// When true (the default, as Hugging Face's immutable sandbox), methods that mutate lists and dicts
    /// (<c>append</c>, <c>update</c>, <c>pop</c>...) are refused; when false they work.
    /// </summary>
    public bool ImmutableCollections { get; init; } = true;
}
