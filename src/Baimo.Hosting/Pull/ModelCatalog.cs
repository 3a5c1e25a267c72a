using Baimo.Hosting.Store;

namespace Baimo.Hosting.Pull;

/// <summary>
/// Short names for popular models, each mapped to a public GGUF repository and quantization. The targets
/// are ordinary hub names, so an alias pulls exactly what its long form would (and honours the endpoint
/// variables, e.g. a mirror).
/// </summary>
public static class ModelCatalog
{
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["qwen2.5:0.5b"] = "hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M",
        ["qwen2.5:1.5b"] = "hf.co/Qwen/Qwen2.5-1.5B-Instruct-GGUF:Q4_K_M",
        ["qwen2.5:3b"] = "hf.co/Qwen/Qwen2.5-3B-Instruct-GGUF:Q4_K_M",
        // Qwen's own 7B repository splits each quantization into parts; this one keeps each in one file.
        ["qwen2.5:7b"] = "hf.co/bartowski/Qwen2.5-7B-Instruct-GGUF:Q4_K_M",
        ["llama3.2:1b"] = "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M",
        ["llama3.2:3b"] = "hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M",
        ["mistral:7b"] = "hf.co/bartowski/Mistral-7B-Instruct-v0.3-GGUF:Q4_K_M",
        // Embedding models are small; 8-bit keeps them close to the original at little cost.
        ["bge-small-en"] = "hf.co/CompendiumLabs/bge-small-en-v1.5-gguf:Q8_0",
        ["bge-small-zh"] = "hf.co/CompendiumLabs/bge-small-zh-v1.5-gguf:Q8_0",
        ["bge-large-zh"] = "hf.co/CompendiumLabs/bge-large-zh-v1.5-gguf:Q8_0",
        ["bge-m3"] = "hf.co/gpustack/bge-m3-GGUF:Q8_0",
    };

    /// <summary>The hub name an alias stands for (a trailing <c>:latest</c> is ignored).</summary>
    public static bool TryResolve(string alias, out string target)
    {
        if (Aliases.TryGetValue(Canonical(alias), out var t)) { target = t; return true; }
        target = "";
        return false;
    }

    /// <summary>The alias as the catalog spells it, so <c>Qwen2.5:0.5B</c> and <c>qwen2.5:0.5b</c> are one model.</summary>
    public static string Canonical(string alias)
    {
        var a = alias.EndsWith(":latest", StringComparison.OrdinalIgnoreCase) ? alias[..^7] : alias;
        return Aliases.Keys.FirstOrDefault(k => string.Equals(k, a, StringComparison.OrdinalIgnoreCase)) ?? a;
    }

    public static IReadOnlyList<string> Closest(string name) => NameDistance.Closest(name, Aliases.Keys, 3);
}
