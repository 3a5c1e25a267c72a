using Baimo.Knowledge.Analysis;
using Microsoft.Extensions.AI;

namespace Baimo.Knowledge.Tests;

/// <summary>
/// A deterministic stand-in for an embedding model: the analysed terms of the text hashed into a fixed number of
/// buckets (signed feature hashing). Similar wording gives similar vectors, so it exercises the vector path end to
/// end, but it knows no meaning; numbers measured with it prove plumbing, not semantic retrieval.
/// </summary>
public sealed class HashingEmbeddingGenerator(int dimension = 256, string modelId = "hashing-256") : IEmbeddingGenerator<string, Embedding<float>>
{
    public int Calls { get; private set; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        var list = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var text in values)
        {
            var v = new float[dimension];
            foreach (var term in TextAnalyzer.Default.Terms(text))
            {
                uint h = Fnv1a(term);
                v[h % (uint)dimension] += (h & 0x80000000) != 0 ? 1f : -1f;
            }
            list.Add(new Embedding<float>(v));
        }
        return Task.FromResult(list);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("hashing", null, modelId, dimension) : null;

    public void Dispose() { }

    private static uint Fnv1a(string s)
    {
        uint h = 2166136261;
        foreach (char c in s) { h ^= c; h *= 16777619; }
        return h;
    }
}
