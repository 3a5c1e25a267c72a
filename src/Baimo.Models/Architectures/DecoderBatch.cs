using Baimo.Kernels.Cpu;
using Baimo.Models.Blocks;

namespace Baimo.Models;

/// <summary>
/// Several independent sequences over one <see cref="DecoderModel"/>, decoded together: one forward pass
/// takes tokens from any mix of sequences, so every weight matrix is read once for all of them (what
/// makes continuous batching pay), while attention reads each token's own sequence's KV cache.
/// Buffers are planned once for the largest batch; no allocation per token. Not thread-safe.
/// </summary>
public sealed class DecoderBatch : IDisposable
{
    private readonly DecoderModel _m;
    private readonly CpuThreadPool _pool;
    private readonly MatMulContext _ctx;
    private readonly KvCache[] _caches;
    private readonly int[] _lengths;
    private readonly Attention.Job _job = new();
    // Scratch, B = MaxBatch: x, xn, o [B][E]; q, attn [B][H·D]; k, v [B][KvDim]; gate, up [B][F]; rope [headDim];
    // seq, pos [B]; rows [B] (the batch rows whose logits are wanted).
    private readonly float[] _x, _xn, _o, _q, _attn, _k, _v, _gate, _up, _rope;
    private readonly int[] _seq, _pos, _rows;

    public DecoderBatch(DecoderModel model, int sequences, int contextLength, int threads, int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequences, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 1);
        _m = model;
        var c = model.Config;
        ContextLength = contextLength;
        MaxBatch = Math.Max(1, maxBatch);
        _pool = new CpuThreadPool(threads > 0 ? threads : CpuTopology.DefaultThreads);
        _ctx = new MatMulContext(_pool);
        _caches = new KvCache[sequences];
        for (int s = 0; s < sequences; s++) _caches[s] = new KvCache(c.BlockCount, contextLength, c.KvDim);
        _lengths = new int[sequences];
        int b = MaxBatch, e = c.EmbeddingLength, qd = c.HeadCount * c.HeadDim;
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
        _seq = new int[b];
        _pos = new int[b];
        _rows = new int[b];
    }

    public DecoderModel Model => _m;
    public int Sequences => _caches.Length;
    public int ContextLength { get; }
    /// <summary>Most tokens one <see cref="Decode"/> call may carry.</summary>
    public int MaxBatch { get; }
    public int Threads => _pool.Threads;
    public int VocabSize => _m.Config.VocabSize;
    /// <summary>Bytes held by all KV caches.</summary>
    public long KvCacheBytes => _caches.Sum(c => c.Bytes);
    public IActivationObserver? Observer { get; set; }

    /// <summary>Positions filled in a sequence's cache (the position its next token takes).</summary>
    public int Length(int sequence) => _lengths[sequence];

    /// <summary>Keeps the first <paramref name="length"/> positions of a sequence (0 clears it).</summary>
    public void Truncate(int sequence, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _lengths[sequence]);
        _lengths[sequence] = length;
    }

    /// <summary>
    /// Appends tokens to their sequences in one forward pass: token i goes to sequence
    /// <paramref name="sequences"/>[i] at that sequence's next position (several tokens of one sequence are
    /// taken in order). For every i with <paramref name="wantLogits"/>[i], a row [vocab] of
    /// <paramref name="logits"/> is filled, in order.
    /// </summary>
    /// <exception cref="ContextFullException">A sequence would grow past the context; nothing is changed.</exception>
    public void Decode(ReadOnlySpan<int> tokens, ReadOnlySpan<int> sequences, ReadOnlySpan<bool> wantLogits, Span<float> logits)
    {
        int T = tokens.Length, vocab = VocabSize;
        if (T == 0) throw new ArgumentException("no tokens to evaluate", nameof(tokens));
        if (T > MaxBatch) throw new ArgumentException($"{T} tokens exceed the planned batch of {MaxBatch}", nameof(tokens));
        if (sequences.Length != T || wantLogits.Length != T) throw new ArgumentException("tokens, sequences and wantLogits must have the same length");
        int rows = 0;
        for (int i = 0; i < T; i++)
        {
            if ((uint)tokens[i] >= (uint)vocab) throw new ArgumentOutOfRangeException(nameof(tokens), $"token id {tokens[i]} is outside the vocabulary (0..{vocab - 1})");
            if ((uint)sequences[i] >= (uint)Sequences) throw new ArgumentOutOfRangeException(nameof(sequences), $"sequence {sequences[i]} does not exist");
            if (wantLogits[i]) _rows[rows++] = i;
        }
        if (logits.Length < (long)rows * vocab) throw new ArgumentException($"logits buffer holds {logits.Length} floats; {rows} × {vocab} needed", nameof(logits));
        // Positions: each sequence continues from its length; check every sequence fits before changing anything.
        for (int i = 0; i < T; i++)
        {
            int s = sequences[i];
            int before = 0;
            for (int k = 0; k < i; k++) if (sequences[k] == s) before++;
            _seq[i] = s;
            _pos[i] = _lengths[s] + before;
            if (_pos[i] >= ContextLength) throw new ContextFullException(ContextLength, _lengths[s], before + 1);
        }
        Forward(tokens, rows, logits);
        for (int i = 0; i < T; i++) _lengths[_seq[i]] = Math.Max(_lengths[_seq[i]], _pos[i] + 1);
    }

    private void Forward(ReadOnlySpan<int> tokens, int outputRows, Span<float> logits)
    {
        var c = _m.Config;
        int T = tokens.Length, E = c.EmbeddingLength, QD = c.HeadCount * c.HeadDim, KV = c.KvDim, F = c.FeedForwardLength;
        var obs = Observer;
        var x = _x.AsSpan(0, T * E);
        var xn = _xn.AsSpan(0, T * E);
        var o = _o.AsSpan(0, T * E);
        var q = _q.AsSpan(0, T * QD);
        var k = _k.AsSpan(0, T * KV);
        var v = _v.AsSpan(0, T * KV);
        var gate = _gate.AsSpan(0, T * F);
        var up = _up.AsSpan(0, T * F);
        var positions = _pos.AsSpan(0, T);
        for (int t = 0; t < T; t++) _m.Embedding.GetRow(tokens[t], x.Slice(t * E, E));
        obs?.Observe("inp_embd", -1, x, T, E);

        _job.Q = _q; _job.Output = _attn; _job.Caches = _caches; _job.Seq = _seq; _job.Pos = _pos;
        _job.Tokens = T; _job.Heads = c.HeadCount; _job.KvHeads = c.HeadCountKv; _job.HeadDim = c.HeadDim;
        _job.Scale = 1.0f / MathF.Sqrt(c.HeadDim);
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
            for (int t = 0; t < T; t++) _caches[_seq[t]].Store(l, _pos[t], k.Slice(t * KV, KV), v.Slice(t * KV, KV));

            _job.Layer = l;
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
        if (outputRows == 0) return;
        // Gather the wanted rows (in order) next to each other, normalise them, then one output product.
        var selected = xn[..(outputRows * E)];
        for (int r = 0; r < outputRows; r++)
            Norms.RmsNorm(x.Slice(_rows[r] * E, E), _m.OutputNorm, c.NormEpsilon, 1, E, selected.Slice(r * E, E));
        obs?.Observe("result_norm", -1, selected, outputRows, E);
        _m.Output.Multiply(selected, outputRows, logits, _ctx);
        obs?.Observe("result_output", -1, logits, outputRows, c.VocabSize);
    }

    public void Dispose()
    {
        _ctx.Dispose();
        _pool.Dispose();
    }
}
