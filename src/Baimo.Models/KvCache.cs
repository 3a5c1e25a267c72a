namespace Baimo.Models;

/// <summary>
/// Keys and values of every layer for every position so far, in float32 (the reference comparisons use an
/// F32 cache). K, V: [layers][contextLength][kvDim]; a layer's slice starts at <see cref="LayerOffset"/>.
/// </summary>
public sealed class KvCache
{
    public KvCache(int layers, int contextLength, int kvDim)
    {
        long size = (long)layers * contextLength * kvDim;
        if (size > Array.MaxLength)
            throw new ArgumentException($"a KV cache of {layers} layers × {contextLength} positions × {kvDim} is too large; use a shorter context");
        Layers = layers;
        ContextLength = contextLength;
        KvDim = kvDim;
        K = new float[size];
        V = new float[size];
    }

    public int Layers { get; }
    public int ContextLength { get; }
    public int KvDim { get; }
    public float[] K { get; }
    public float[] V { get; }

    /// <summary>Bytes held by the cache.</summary>
    public long Bytes => 2L * K.Length * sizeof(float);

    public int LayerOffset(int layer) => layer * ContextLength * KvDim;

    /// <summary>Stores one token's key and value rows [kvDim] of one layer at a position.</summary>
    public void Store(int layer, int pos, ReadOnlySpan<float> k, ReadOnlySpan<float> v)
    {
        int off = LayerOffset(layer) + pos * KvDim;
        k[..KvDim].CopyTo(K.AsSpan(off));
        v[..KvDim].CopyTo(V.AsSpan(off));
    }

    /// <summary>Stores rows [tokens][kvDim] of one layer at positions [pos, pos + tokens).</summary>
    public void Store(int layer, int pos, ReadOnlySpan<float> k, ReadOnlySpan<float> v, int tokens)
    {
        int off = LayerOffset(layer) + pos * KvDim;
        k[..(tokens * KvDim)].CopyTo(K.AsSpan(off));
        v[..(tokens * KvDim)].CopyTo(V.AsSpan(off));
    }
}
