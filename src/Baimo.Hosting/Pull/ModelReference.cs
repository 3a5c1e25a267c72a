namespace Baimo.Hosting.Pull;

/// <summary>
/// A parsed model name: which hub, which repository, and either a quantization to look for among the
/// repository's .gguf files or the exact file. <see cref="Name"/> is what the store will call it.
/// </summary>
public sealed record ModelReference(string Name, HubKind Hub, string Repository, string? Quant, string? File)
{
    public const string HuggingFacePrefix = "hf.co/";
    public const string ModelScopePrefix = "modelscope.cn/";

    /// <summary>Quantization taken when a name gives none: small enough for a laptop, good enough to use.</summary>
    public const string DefaultQuant = "Q4_K_M";

    /// <summary>Short form of the repository as shown to users, e.g. <c>hf.co/OWNER/REPO</c>.</summary>
    public string DisplayRepository => (Hub == HubKind.HuggingFace ? HuggingFacePrefix : ModelScopePrefix) + Repository;

    public static string Forms =>
        "hf.co/OWNER/REPO:QUANT, hf.co/OWNER/REPO/FILE.gguf, modelscope.cn/OWNER/REPO:QUANT or an alias such as "
        + string.Join(", ", ModelCatalog.Aliases.Keys.Take(4));

    /// <summary>Parses an alias or a hub name; throws <see cref="PullException"/> saying which forms exist.</summary>
    public static ModelReference Parse(string name)
    {
        var trimmed = name.Trim();
        if (trimmed.Length == 0) throw new PullException("a model name is required: " + Forms);
        if (ModelCatalog.TryResolve(trimmed, out var target)) return ParseHubName(target) with { Name = ModelCatalog.Canonical(trimmed) };
        return ParseHubName(trimmed);
    }

    private static ModelReference ParseHubName(string name)
    {
        HubKind hub;
        string rest;
        if (StripPrefix(name, ["hf.co/", "huggingface.co/", "https://huggingface.co/", "https://hf.co/"], out rest)) hub = HubKind.HuggingFace;
        else if (StripPrefix(name, ["modelscope.cn/", "www.modelscope.cn/", "https://modelscope.cn/models/", "https://www.modelscope.cn/models/"], out rest)) hub = HubKind.ModelScope;
        else throw new PullException($"'{name}' is neither a known alias nor a hub name; use " + Forms
            + (ModelCatalog.Closest(name) is { Count: > 0 } close ? $" (did you mean {string.Join(", ", close)}?)" : ""));

        var parts = rest.Split('/');
        if (parts.Length >= 3 && rest.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
        {
            var repo = parts[0] + "/" + parts[1];
            var file = string.Join('/', parts[2..]);
            Check(name, parts);
            return new ModelReference(Prefix(hub) + repo + "/" + file, hub, repo, null, file);
        }
        if (parts.Length != 2) throw new PullException($"'{name}' names no repository: use " + Forms);
        var colon = parts[1].IndexOf(':');
        string repoName = colon < 0 ? parts[1] : parts[1][..colon];
        string? quant = colon < 0 ? null : parts[1][(colon + 1)..];
        if (quant is { Length: 0 }) quant = null;
        Check(name, [parts[0], repoName]);
        var repository = parts[0] + "/" + repoName;
        return new ModelReference(Prefix(hub) + repository + (quant is null ? "" : ":" + quant), hub, repository, quant, null);
    }

    private static void Check(string name, string[] parts)
    {
        foreach (var p in parts)
            if (p.Length == 0 || p is "." or ".." || p.Any(c => char.IsWhiteSpace(c) || c is '?' or '#' or '\\'))
                throw new PullException($"'{name}' is not a valid repository path");
    }

    private static string Prefix(HubKind hub) => hub == HubKind.HuggingFace ? HuggingFacePrefix : ModelScopePrefix;

    private static bool StripPrefix(string name, string[] prefixes, out string rest)
    {
        foreach (var p in prefixes)
            if (name.StartsWith(p, StringComparison.OrdinalIgnoreCase))
            {
                rest = name[p.Length..];
                return true;
            }
        rest = "";
        return false;
    }
}
