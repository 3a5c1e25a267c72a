using Baimo.Kernels.Cpu;

namespace Baimo.Models.Blocks;

/// <summary>
/// Scaled dot-product attention, one (token, head) pair at a time, so memory is O(positions) per worker
/// rather than O(tokens × positions): long contexts never build a full score matrix. Tokens of one batch
/// may belong to different sequences, each reading its own KV cache (continuous batching).
/// Numerics follow ggml without flash attention: float dot products, softmax with max-shift and a double sum.
/// </summary>
public static class Attention
{
    /// <summary>Everything one call needs; reused across calls and passed to the workers without a closure.</summary>
    public sealed class Job
    {
        public float[] Q = [];      // [tokens][heads][headDim]
        public float[] Output = []; // [tokens][heads][headDim]
        public int Tokens, Heads, KvHeads, HeadDim;
        public float Scale;

        // Cached mode (decoders): token t attends causally to positions [0, Pos[t]] of Caches[Seq[t]], layer Layer.
        public KvCache[]? Caches;
        public int[] Seq = [];      // [tokens] sequence of each token
        public int[] Pos = [];      // [tokens] position of each token in its sequence
        public int Layer;

        // Direct mode (encoders): every token attends to all Tokens rows of K and V.
        public float[] K = [];      // [tokens][kvHeads][headDim]
        public float[] V = [];      // [tokens][kvHeads][headDim]
    }

    private static readonly ForBody<Job> Body = Run;

    public static void Compute(Job job, CpuThreadPool pool) => pool.For(job.Tokens * job.Heads, job, Body);

    private static void Run(Job j, int start, int end)
    {
        int maxPositions = j.Tokens;
        if (j.Caches != null)
            for (int t = start / j.Heads; t <= (end - 1) / j.Heads; t++) maxPositions = Math.Max(maxPositions, j.Pos[t] + 1);
        var scores = Scores(maxPositions);
        int kvStride = j.KvHeads * j.HeadDim;
        int group = j.Heads / j.KvHeads;
        for (int idx = start; idx < end; idx++)
        {
            int t = idx / j.Heads, h = idx % j.Heads;
            int kvOffset = h / group * j.HeadDim;
            float[] K, V;
            int n, baseOffset;
            if (j.Caches != null)
            {
                var cache = j.Caches[j.Seq[t]];
                (K, V, baseOffset, n) = (cache.K, cache.V, cache.LayerOffset(j.Layer), j.Pos[t] + 1);
            }
            else (K, V, baseOffset, n) = (j.K, j.V, 0, j.Tokens);
            var q = j.Q.AsSpan((t * j.Heads + h) * j.HeadDim, j.HeadDim);
            float max = float.NegativeInfinity;
            for (int p = 0; p < n; p++)
            {
                float s = Dot(q, K.AsSpan(baseOffset + p * kvStride + kvOffset, j.HeadDim)) * j.Scale;
                scores[p] = s;
                if (s > max) max = s;
            }
            double sum = 0;
            for (int p = 0; p < n; p++)
            {
                float e = MathF.Exp(scores[p] - max);
                scores[p] = e;
                sum += e;
            }
            float inv = (float)(1.0 / sum);
            var o = j.Output.AsSpan((t * j.Heads + h) * j.HeadDim, j.HeadDim);
            o.Clear();
            for (int p = 0; p < n; p++)
                Axpy(scores[p] * inv, V.AsSpan(baseOffset + p * kvStride + kvOffset, j.HeadDim), o);
        }
    }

    [ThreadStatic] private static float[]? t_scores;

    /// <summary>
    /// This thread's score buffer [≥ positions]: made once per thread at 4096 positions and doubled past that, so a
    /// decode step allocates nothing (a shared pool hands out new arrays when a size bucket is first used on a thread,
    /// at every power of two the context passes).
    /// </summary>
    private static float[] Scores(int positions)
    {
        var s = t_scores;
        if (s == null || s.Length < positions)
        {
            int size = Math.Max(4096, s?.Length ?? 0);
            while (size < positions) size *= 2;
            t_scores = s = new float[size];
        }
        return s;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var va = System.Numerics.Vector<float>.Zero;
        int i = 0, w = System.Numerics.Vector<float>.Count;
        for (; i <= a.Length - w; i += w)
            va += new System.Numerics.Vector<float>(a[i..]) * new System.Numerics.Vector<float>(b[i..]);
        float s = System.Numerics.Vector.Sum(va);
        for (; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    private static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0, w = System.Numerics.Vector<float>.Count;
        var va = new System.Numerics.Vector<float>(a);
        for (; i <= x.Length - w; i += w)
            (new System.Numerics.Vector<float>(y[i..]) + va * new System.Numerics.Vector<float>(x[i..])).CopyTo(y[i..]);
        for (; i < x.Length; i++) y[i] += a * x[i];
    }
}
