namespace Baimo.Generation;

/// <summary>
/// Picks the next token from logits with a <see cref="SamplingOptions"/> chain. Buffers are planned once
/// for the vocabulary; sampling allocates nothing. Not thread-safe (one per generation).
/// </summary>
public sealed class Sampler
{
    private readonly SamplingOptions _o;
    private readonly Random _rng;
    private readonly float[] _logits;   // [vocab] working copy
    private readonly int[] _ids;        // [vocab] candidate ids
    private readonly float[] _probs;    // [vocab] candidate probabilities
    private readonly Dictionary<int, int> _counts = new();

    public Sampler(SamplingOptions options, int vocabSize)
    {
        options.Validate();
        _o = options;
        _rng = options.Seed is int s ? new Random(s) : new Random();
        _logits = new float[vocabSize];
        _ids = new int[vocabSize];
        _probs = new float[vocabSize];
    }

    public SamplingOptions Options => _o;

    /// <summary>Chooses a token. <paramref name="history"/> is every token so far (prompt and generated), for the penalties.</summary>
    public int Sample(ReadOnlySpan<float> logits, ReadOnlySpan<int> history)
    {
        var l = _logits.AsSpan(0, logits.Length);
        logits.CopyTo(l);
        ApplyPenalties(l, history);
        if (_o.Temperature <= 0) return Argmax(l);

        // Candidates: top-k by selection (no full sort of the vocabulary unless top-k is off).
        int n = l.Length;
        int k = _o.TopK > 0 ? Math.Min(_o.TopK, n) : n;
        for (int i = 0; i < n; i++) _ids[i] = i;
        var ids = _ids.AsSpan(0, n);
        if (k < n) SelectTop(ids, l, k);
        ids = ids[..k];
        // Sort the survivors by logit, descending (ties: lower id first, for determinism).
        var keys = _probs.AsSpan(0, k);
        for (int i = 0; i < k; i++) keys[i] = -l[ids[i]];
        keys.Sort(ids, Comparer.Instance);

        // top-p on the softmax of the (untempered) candidates.
        if (_o.TopP < 1) k = CutTopP(ids, l, _o.TopP);
        // min-p relative to the most likely candidate.
        if (_o.MinP > 0)
        {
            float threshold = l[ids[0]] + MathF.Log(_o.MinP);
            int keep = 1;
            while (keep < k && l[ids[keep]] >= threshold) keep++;
            k = keep;
        }
        // Temperature, softmax, draw.
        float max = l[ids[0]] / _o.Temperature;
        double sum = 0;
        for (int i = 0; i < k; i++)
        {
            float p = MathF.Exp(l[ids[i]] / _o.Temperature - max);
            _probs[i] = p;
            sum += p;
        }
        double r = _rng.NextDouble() * sum, acc = 0;
        for (int i = 0; i < k; i++)
        {
            acc += _probs[i];
            if (r < acc) return ids[i];
        }
        return ids[k - 1];
    }

    private void ApplyPenalties(Span<float> l, ReadOnlySpan<int> history)
    {
        if (_o.RepeatPenalty == 1 && _o.FrequencyPenalty == 0 && _o.PresencePenalty == 0) return;
        int window = _o.PenaltyLastN < 0 ? history.Length : Math.Min(_o.PenaltyLastN, history.Length);
        if (window == 0) return;
        _counts.Clear();
        foreach (var id in history[^window..])
            if ((uint)id < (uint)l.Length) _counts[id] = _counts.GetValueOrDefault(id) + 1;
        foreach (var (id, count) in _counts)
        {
            ref float v = ref l[id];
            v = v > 0 ? v / _o.RepeatPenalty : v * _o.RepeatPenalty;
            v -= count * _o.FrequencyPenalty + _o.PresencePenalty;
        }
    }

    private static int CutTopP(Span<int> ids, Span<float> l, float p)
    {
        float max = l[ids[0]];
        double total = 0;
        foreach (var id in ids) total += Math.Exp(l[id] - max);
        double acc = 0;
        for (int i = 0; i < ids.Length; i++)
        {
            acc += Math.Exp(l[ids[i]] - max) / total;
            if (acc >= p) return i + 1;
        }
        return ids.Length;
    }

    /// <summary>Index of the largest logit; the lowest id wins ties.</summary>
    public static int Argmax(ReadOnlySpan<float> l)
    {
        int best = 0;
        for (int i = 1; i < l.Length; i++) if (l[i] > l[best]) best = i;
        return best;
    }

    /// <summary>Moves the k largest-logit ids to the front (quickselect on the logit).</summary>
    private static void SelectTop(Span<int> ids, Span<float> l, int k)
    {
        int lo = 0, hi = ids.Length - 1;
        while (lo < hi)
        {
            float pivot = l[ids[(lo + hi) >>> 1]];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (l[ids[i]] > pivot) i++;
                while (l[ids[j]] < pivot) j--;
                if (i <= j) { (ids[i], ids[j]) = (ids[j], ids[i]); i++; j--; }
            }
            if (k - 1 <= j) hi = j;
            else if (k - 1 >= i) lo = i;
            else break;
        }
    }

    private sealed class Comparer : IComparer<float>
    {
        public static readonly Comparer Instance = new();
        public int Compare(float x, float y) => x.CompareTo(y);
    }
}
