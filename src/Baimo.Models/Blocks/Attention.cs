using System.Buffers;
using Baimo.Kernels.Cpu;

namespace Baimo.Models.Blocks;

/// <summary>
/// Scaled dot-product attention over a key/value store, one (token, head) pair at a time, so memory is
/// O(positions) per worker rather than O(tokens × positions): long contexts never build a full score matrix.
/// Numerics follow ggml without flash attention: float dot products, softmax with max-shift and a double sum.
/// </summary>
public static class Attention
{
    /// <summary>Everything one call needs; passed by reference to the workers (no closure per call).</summary>
    public sealed class Job
    {
        public float[] Q = [];      // [tokens][heads][headDim]
        public float[] K = [];      // [positions][kvHeads][headDim]
        public float[] V = [];      // [positions][kvHeads][headDim]
        public float[] Output = []; // [tokens][heads][headDim]
        public int KvOffset;        // element offset of position 0 in K and V (a layer's slice of the cache)
        public int Tokens, Heads, KvHeads, HeadDim;
        /// <summary>Position of token 0; token t sees positions [0, FirstPos + t] when causal.</summary>
        public int FirstPos;
        /// <summary>Number of stored positions visible to every token when not causal.</summary>
        public int Positions;
        public bool Causal;
        public float Scale;
    }

    private static readonly ForBody<Job> Body = Run;

    public static void Compute(Job job, CpuThreadPool pool) => pool.For(job.Tokens * job.Heads, job, Body);

    private static void Run(Job j, int start, int end)
    {
        int maxPositions = j.Causal ? j.FirstPos + j.Tokens : j.Positions;
        var scores = ArrayPool<float>.Shared.Rent(Math.Max(1, maxPositions));
        try
        {
            int kvStride = j.KvHeads * j.HeadDim;
            int group = j.Heads / j.KvHeads;
            for (int idx = start; idx < end; idx++)
            {
                int t = idx / j.Heads, h = idx % j.Heads;
                int kvh = h / group;
                int n = j.Causal ? j.FirstPos + t + 1 : j.Positions;
                var q = j.Q.AsSpan((t * j.Heads + h) * j.HeadDim, j.HeadDim);
                float max = float.NegativeInfinity;
                for (int p = 0; p < n; p++)
                {
                    var k = j.K.AsSpan(j.KvOffset + p * kvStride + kvh * j.HeadDim, j.HeadDim);
                    float s = Dot(q, k) * j.Scale;
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
                {
                    float w = scores[p] * inv;
                    var v = j.V.AsSpan(j.KvOffset + p * kvStride + kvh * j.HeadDim, j.HeadDim);
                    Axpy(w, v, o);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }
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
