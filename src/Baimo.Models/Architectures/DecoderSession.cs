using Baimo.Kernels.Cpu;
using Baimo.Models.Blocks;

namespace Baimo.Models;

/// <summary>
/// One conversation's state over a <see cref="DecoderModel"/>: the KV cache, the position, and scratch
/// buffers planned once for the largest batch (no allocation per token). Not thread-safe: one caller at a time.
/// </summary>
public sealed class DecoderSession : IDisposable
{
    private readonly DecoderModel _m;
    private readonly CpuThreadPool _pool;
    private readonly MatMulContext _ctx;
    private readonly KvCache _cache;
    private readonly int _maxBatch;
    private readonly Attention.Job _job = new();
    private readonly int[] _positions;
    // Scratch, B = maxBatch: x, xn, o [B][E]; q, attn [B][H·D]; k, v [B][KvDim]; gate, up [B][F]; rope [headDim].
    private readonly float[] _x, _xn, _o, _q, _attn, _k, _v, _gate, _up, _rope;

    internal DecoderSession(DecoderModel model, int contextLength, int threads, int maxBatch)
    {
        _m = model;
        var c = model.Config;
        ContextLength = contextLength;
        _maxBatch = Math.Max(1, Math.Min(maxBatch, contextLength));
        _pool = new CpuThreadPool(threads);
        _ctx = new MatMulContext(_pool);
        _cache = new KvCache(c.BlockCount, contextLength, c.KvDim);
        int b = _maxBatch, e = c.EmbeddingLength, qd = c.HeadCount * c.HeadDim;
        _x = new float[b * e];
        _xn = new float[b * e];
        _o = new float[b * e];
        _q = new float[b * qd];
        _attn = new float[b * qd];
        _k = new float[b * c.KvDim];
        _v = new float[b * c.KvDim];
        _gate = new float[b * c.FeedForwardLength];
        _up = new float[b * c.FeedForwardLength];
        _rope = new float[c.HeadDim];
        _positions = new int[b];
    }

    public DecoderModel Model => _m;
    public int ContextLength { get; }
    /// <summary>Number of positions filled in the KV cache (the next token's position).</summary>
    public int Position { get; private set; }
    public int VocabSize => _m.Config.VocabSize;
    public int Threads => _pool.Threads;
    public long KvCacheBytes => _cache.Bytes;
    public IActivationObserver? Observer { get; set; }

    /// <summary>Forgets everything: the next token goes to position 0.</summary>
    public void Reset() => Position = 0;

    /// <summary>Drops positions from <paramref name="position"/> on, keeping the cached prefix before it.</summary>
    public void Rewind(int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(position, Position);
        Position = position;
    }

    /// <summary>
    /// Evaluates tokens at the current position (in batches of at most the planned batch size) and
    /// advances. With <paramref name="allLogits"/>, <paramref name="logits"/> receives [tokens][vocab]
    /// (row p = distribution of the token after token p); otherwise [vocab] for the last token.
    /// </summary>
    /// <exception cref="ContextFullException">The tokens do not fit in the remaining context.</exception>
    public void Evaluate(ReadOnlySpan<int> tokens, Span<float> logits, bool allLogits = false)
    {
        int vocab = VocabSize;
        if (tokens.Length == 0) throw new ArgumentException("no tokens to evaluate", nameof(tokens));
        if (Position + tokens.Length > ContextLength)
            throw new ContextFullException(ContextLength, Position, tokens.Length);
        if (logits.Length < (allLogits ? (long)tokens.Length * vocab : vocab))
            throw new ArgumentException($"logits buffer holds {logits.Length} floats; {(allLogits ? tokens.Length : 1)} × {vocab} needed", nameof(logits));
        foreach (var id in tokens)
            if ((uint)id >= (uint)vocab) throw new ArgumentOutOfRangeException(nameof(tokens), $"token id {id} is outside the vocabulary (0..{vocab - 1})");
        for (int done = 0; done < tokens.Length;)
        {
            int n = Math.Min(_maxBatch, tokens.Length - done);
            bool last = done + n == tokens.Length;
            var dst = allLogits ? logits.Slice(done * vocab, n * vocab) : logits[..vocab];
            ForwardBatch(tokens.Slice(done, n), allLogits ? OutputRows.All : last ? OutputRows.Last : OutputRows.None, dst);
            done += n;
        }
    }

    /// <summary>Evaluates tokens and returns the last token's logits [vocab] in a new array.</summary>
    public float[] Evaluate(ReadOnlySpan<int> tokens)
    {
        var logits = new float[VocabSize];
        Evaluate(tokens, logits);
        return logits;
    }

    private enum OutputRows { None, Last, All }

    private void ForwardBatch(ReadOnlySpan<int> tokens, OutputRows outputs, Span<float> logits)
    {
        var c = _m.Config;
        int T = tokens.Length, E = c.EmbeddingLength, QD = c.HeadCount * c.HeadDim, KV = c.KvDim, F = c.FeedForwardLength;
        int pos = Position;
        var obs = Observer;
        var x = _x.AsSpan(0, T * E);
        var xn = _xn.AsSpan(0, T * E);
        var o = _o.AsSpan(0, T * E);
        var q = _q.AsSpan(0, T * QD);
        var k = _k.AsSpan(0, T * KV);
        var v = _v.AsSpan(0, T * KV);
        var gate = _gate.AsSpan(0, T * F);
        var up = _up.AsSpan(0, T * F);
        var positions = _positions.AsSpan(0, T);
        for (int t = 0; t < T; t++)
        {
            positions[t] = pos + t;
            _m.Embedding.GetRow(tokens[t], x.Slice(t * E, E));
        }
        obs?.Observe("inp_embd", -1, x, T, E);

        for (int l = 0; l < _m.Layers.Length; l++)
        {
            var L = _m.Layers[l];
            Norms.RmsNorm(x, L.AttnNorm, c.NormEpsilon, T, E, xn);
            obs?.Observe("attn_norm", l, xn, T, E);

            L.Q.Multiply(xn, T, q, _ctx);
            L.K.Multiply(xn, T, k, _ctx);
            L.V.Multiply(xn, T, v, _ctx);
            if (L.QBias != null) Norms.AddRowBias(q, L.QBias, T);
            if (L.KBias != null) Norms.AddRowBias(k, L.KBias, T);
            if (L.VBias != null) Norms.AddRowBias(v, L.VBias, T);
            Rope.Apply(q, positions, c.HeadCount, c.HeadDim, c.RopeDimensions, c.RopeFreqBase, c.RopeFreqScale, c.Rope, _rope);
            Rope.Apply(k, positions, c.HeadCountKv, c.HeadDim, c.RopeDimensions, c.RopeFreqBase, c.RopeFreqScale, c.Rope, _rope);
            obs?.Observe("Qcur", l, q, T, QD);
            obs?.Observe("Kcur", l, k, T, KV);
            obs?.Observe("Vcur", l, v, T, KV);
            _cache.Store(l, pos, k, v, T);

            _job.Q = _q; _job.K = _cache.K; _job.V = _cache.V; _job.Output = _attn;
            _job.KvOffset = _cache.LayerOffset(l);
            _job.Tokens = T; _job.Heads = c.HeadCount; _job.KvHeads = c.HeadCountKv; _job.HeadDim = c.HeadDim;
            _job.FirstPos = pos; _job.Causal = true; _job.Scale = 1.0f / MathF.Sqrt(c.HeadDim);
            Attention.Compute(_job, _pool);
            var attn = _attn.AsSpan(0, T * QD);
            obs?.Observe("kqv_out", l, attn, T, QD);

            L.O.Multiply(attn, T, o, _ctx);
            obs?.Observe("attn_out", l, o, T, E);
            Norms.Add(x, o);
            obs?.Observe("ffn_inp", l, x, T, E);

            Norms.RmsNorm(x, L.FfnNorm, c.NormEpsilon, T, E, xn);
            obs?.Observe("ffn_norm", l, xn, T, E);
            L.Gate.Multiply(xn, T, gate, _ctx);
            L.Up.Multiply(xn, T, up, _ctx);
            Activations.SiluMultiply(gate, up);
            obs?.Observe("ffn_gate_par", l, gate, T, F);
            L.Down.Multiply(gate, T, o, _ctx);
            obs?.Observe("ffn_out", l, o, T, E);
            Norms.Add(x, o);
            obs?.Observe("l_out", l, x, T, E);
        }
        Position = pos + T;

        if (outputs == OutputRows.None) return;
        int rows = outputs == OutputRows.All ? T : 1;
        var src = outputs == OutputRows.All ? x : x.Slice((T - 1) * E, E);
        var normed = xn[..(rows * E)];
        Norms.RmsNorm(src, _m.OutputNorm, c.NormEpsilon, rows, E, normed);
        obs?.Observe("result_norm", -1, normed, rows, E);
        _m.Output.Multiply(normed, rows, logits, _ctx);
        obs?.Observe("result_output", -1, logits, rows, c.VocabSize);
    }

    public void Dispose()
    {
        _ctx.Dispose();
        _pool.Dispose();
    }
}
