using Baimo.Formats;
using Baimo.Formats.Gguf;
using Baimo.Kernels.Cpu;
using Baimo.Models.Blocks;
using Baimo.Tokenizers;
using static Baimo.Models.TensorNames;

namespace Baimo.Models;

/// <summary>
/// A BERT-style encoder for sentence embeddings: token + token-type + absolute position embeddings,
/// post-norm blocks (LayerNorm after each residual), bidirectional attention, GELU feed-forward, then
/// pooling (from the file's <c>bert.pooling_type</c> unless overridden) and L2 normalisation.
/// Thread-safe: every call plans its own buffers.
/// </summary>
public sealed class EncoderModel : TransformerModel
{
    private sealed class Layer
    {
        public required WeightMatrix Q, K, V, O;            // [E][E] each
        public required float[] QB, KB, VB, OB;             // [E] each
        public required float[] AttnNormW, AttnNormB;       // [E]
        public required WeightMatrix Up, Down;              // [F][E], [E][F]
        public required float[] UpB, DownB;                 // [F], [E]
        public required float[] OutNormW, OutNormB;         // [E]
    }

    private readonly WeightMatrix _tokens;       // [vocab][E]
    private readonly float[] _type0;             // [E]: row 0 of token_types (single-segment input)
    private readonly WeightMatrix _positions;    // [ctx][E]
    private readonly float[] _embNormW, _embNormB; // [E]
    private readonly Layer[] _layers;
    private readonly int _threads;

    internal EncoderModel(ITensorFile file, ModelConfig c, Lazy<Tokenizer> tokenizer) : base(file, c, tokenizer)
    {
        var w = new WeightSet(file);
        long e = c.EmbeddingLength, f = c.FeedForwardLength;
        w.Require(TokenEmbedding, e, c.VocabSize);
        bool hasTypes = w.Optional(TokenTypes, e, file.FindTensor(TokenTypes)?.Shape.ElementAtOrDefault(1) ?? 2);
        w.Require(PositionEmbedding, e, c.ContextLength);
        w.Require(TokenEmbeddingNorm, e);
        w.Require(TokenEmbeddingNormBias, e);
        for (int l = 0; l < c.BlockCount; l++)
        {
            foreach (var (m, b) in new[] { (AttnQ(l), AttnQBias(l)), (AttnK(l), AttnKBias(l)), (AttnV(l), AttnVBias(l)), (AttnOutput(l), AttnOutputBias(l)) })
            {
                w.Require(m, e, e);
                w.Require(b, e);
            }
            w.Require(AttnOutputNorm(l), e);
            w.Require(AttnOutputNormBias(l), e);
            w.Require(FfnUp(l), e, f);
            w.Require(FfnUpBias(l), f);
            w.Require(FfnDown(l), f, e);
            w.Require(FfnDownBias(l), e);
            w.Require(LayerOutputNorm(l), e);
            w.Require(LayerOutputNormBias(l), e);
        }
        w.ThrowIfMissing(c.Architecture);

        _tokens = w.Matrix(TokenEmbedding);
        _type0 = hasTypes ? w.Vector(TokenTypes)[..c.EmbeddingLength] : new float[c.EmbeddingLength];
        _positions = w.Matrix(PositionEmbedding);
        _embNormW = w.Vector(TokenEmbeddingNorm);
        _embNormB = w.Vector(TokenEmbeddingNormBias);
        _layers = new Layer[c.BlockCount];
        for (int l = 0; l < c.BlockCount; l++)
            _layers[l] = new Layer
            {
                Q = w.Matrix(AttnQ(l)), K = w.Matrix(AttnK(l)), V = w.Matrix(AttnV(l)), O = w.Matrix(AttnOutput(l)),
                QB = w.Vector(AttnQBias(l)), KB = w.Vector(AttnKBias(l)), VB = w.Vector(AttnVBias(l)), OB = w.Vector(AttnOutputBias(l)),
                AttnNormW = w.Vector(AttnOutputNorm(l)), AttnNormB = w.Vector(AttnOutputNormBias(l)),
                Up = w.Matrix(FfnUp(l)), Down = w.Matrix(FfnDown(l)), UpB = w.Vector(FfnUpBias(l)), DownB = w.Vector(FfnDownBias(l)),
                OutNormW = w.Vector(LayerOutputNorm(l)), OutNormB = w.Vector(LayerOutputNormBias(l)),
            };
        _threads = CpuTopology.DefaultThreads;
    }

    /// <summary>Tokenizes (with [CLS]/[SEP]) and embeds a text.</summary>
    public float[] Embed(string text, PoolingType? pooling = null, bool normalize = true) =>
        Embed(Tokenizer.Encode(text, addSpecial: true), pooling, normalize);

    /// <summary>The pooled (and by default L2-normalised) embedding [E] of a token sequence.</summary>
    public float[] Embed(ReadOnlySpan<int> tokens, PoolingType? pooling = null, bool normalize = true, IActivationObserver? observer = null)
    {
        var c = Config;
        int T = tokens.Length, E = c.EmbeddingLength, F = c.FeedForwardLength;
        if (T == 0) throw new ArgumentException("no tokens to embed", nameof(tokens));
        if (T > c.ContextLength) throw new ContextFullException(c.ContextLength, 0, T);
        foreach (var id in tokens)
            if ((uint)id >= (uint)c.VocabSize) throw new ArgumentOutOfRangeException(nameof(tokens), $"token id {id} is outside the vocabulary");
        using var pool = new CpuThreadPool(_threads);
        using var ctx = new MatMulContext(pool);
        // x, y, a: [T][E]; up: [T][F]; q, k, v: [T][E].
        var x = new float[T * E];
        var y = new float[T * E];
        var a = new float[T * E];
        var q = new float[T * E];
        var k = new float[T * E];
        var v = new float[T * E];
        var up = new float[T * F];
        var row = new float[E];
        for (int t = 0; t < T; t++)
        {
            var xr = x.AsSpan(t * E, E);
            _tokens.GetRow(tokens[t], xr);
            Norms.Add(xr, _type0);
            _positions.GetRow(t, row);
            Norms.Add(xr, row);
        }
        Norms.LayerNorm(x, _embNormW, _embNormB, c.NormEpsilon, T, E, x);
        observer?.Observe("inp_norm", -1, x, T, E);
        var job = new Attention.Job
        {
            Q = q, K = k, V = v, Output = a, Tokens = T, Heads = c.HeadCount, KvHeads = c.HeadCount,
            HeadDim = c.HeadDim, Scale = 1.0f / MathF.Sqrt(c.HeadDim),
        };
        for (int l = 0; l < _layers.Length; l++)
        {
            var L = _layers[l];
            L.Q.Multiply(x, T, q, ctx); Norms.AddRowBias(q, L.QB, T);
            L.K.Multiply(x, T, k, ctx); Norms.AddRowBias(k, L.KB, T);
            L.V.Multiply(x, T, v, ctx); Norms.AddRowBias(v, L.VB, T);
            Attention.Compute(job, pool);
            observer?.Observe("kqv_out", l, a, T, E);
            L.O.Multiply(a, T, y, ctx); Norms.AddRowBias(y, L.OB, T);
            Norms.Add(y, x);
            Norms.LayerNorm(y, L.AttnNormW, L.AttnNormB, c.NormEpsilon, T, E, x);
            observer?.Observe("attn_out_norm", l, x, T, E);
            L.Up.Multiply(x, T, up, ctx); Norms.AddRowBias(up, L.UpB, T);
            Activations.Gelu(up);
            L.Down.Multiply(up, T, y, ctx); Norms.AddRowBias(y, L.DownB, T);
            Norms.Add(y, x);
            Norms.LayerNorm(y, L.OutNormW, L.OutNormB, c.NormEpsilon, T, E, x);
            observer?.Observe("l_out", l, x, T, E);
        }
        var result = Pool(x, T, E, pooling ?? (c.Pooling == PoolingType.None ? PoolingType.Cls : c.Pooling));
        if (normalize) NormalizeL2(result);
        return result;
    }

    private static float[] Pool(float[] x, int T, int E, PoolingType pooling)
    {
        var result = new float[E];
        switch (pooling)
        {
            case PoolingType.Cls: x.AsSpan(0, E).CopyTo(result); break;
            case PoolingType.Last: x.AsSpan((T - 1) * E, E).CopyTo(result); break;
            case PoolingType.Mean:
                // The reference multiplies by a matrix of 1/T, i.e. sums terms x·(1/T) in float.
                float inv = 1.0f / T;
                for (int t = 0; t < T; t++)
                    for (int i = 0; i < E; i++) result[i] += x[t * E + i] * inv;
                break;
            default: throw new ArgumentOutOfRangeException(nameof(pooling), pooling, "unsupported pooling");
        }
        return result;
    }

    /// <summary>Divides by the Euclidean norm (summed in double); a zero vector stays zero.</summary>
    public static void NormalizeL2(Span<float> v)
    {
        double sum = 0;
        foreach (var f in v) sum += (double)f * f;
        double norm = Math.Sqrt(sum);
        if (norm == 0) return;
        for (int i = 0; i < v.Length; i++) v[i] = (float)(v[i] / norm);
    }
}
