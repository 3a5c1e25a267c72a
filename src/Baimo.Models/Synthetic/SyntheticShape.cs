namespace Baimo.Models.Synthetic;

/// <summary>
/// The shape of a well-known model, so benchmarks can build a same-shaped model with random weights on a
/// machine that has no model files. Only the shape matters for speed: the weights are noise.
/// </summary>
public sealed record SyntheticShape(
    string Name, string Architecture, int Vocab, int Embedding, int FeedForward, int Layers, int Heads, int KvHeads,
    int Context, float RopeBase, bool TiedOutput)
{
    public static IReadOnlyList<SyntheticShape> All { get; } =
    [
        new("tinyllama-1.1b", "llama", 32000, 2048, 5632, 22, 32, 4, 2048, 10000f, false),
        new("llama-3.2-1b", "llama", 128256, 2048, 8192, 16, 32, 8, 8192, 500000f, true),
        new("qwen2.5-0.5b", "qwen2", 151936, 896, 4864, 24, 14, 2, 32768, 1000000f, true),
        new("qwen2.5-1.5b", "qwen2", 151936, 1536, 8960, 28, 12, 2, 32768, 1000000f, true),
        new("llama-2-7b", "llama", 32000, 4096, 11008, 32, 32, 32, 4096, 10000f, false),
        new("stories-15m", "llama", 32000, 288, 768, 6, 6, 6, 256, 10000f, false),
        // A few megabytes, with every row a multiple of 256 so that every weight type fits: for tests and smoke runs.
        new("tiny", "llama", 1024, 256, 768, 2, 4, 2, 512, 10000f, false),
    ];

    public int HeadDim => Embedding / Heads;
    public int KvDim => KvHeads * HeadDim;

    /// <summary>Looks a shape up by name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No such shape; the message lists the known ones.</exception>
    public static SyntheticShape Get(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown model shape '{name}' (known: {string.Join(", ", All.Select(s => s.Name))})");
}
