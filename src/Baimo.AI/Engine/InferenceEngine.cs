using System.Diagnostics;
using System.Threading.Channels;
using Baimo.Generation;
using Baimo.Models;

namespace Baimo.AI;

/// <summary>
/// Serves one decoder model to many concurrent requests with continuous batching: a scheduler thread
/// admits waiting requests into free slots (choosing the slot whose cache shares the longest prefix with
/// the prompt), then runs forward passes that carry one token for every generating slot plus prompt chunks
/// of slots still reading their prompt, so every weight matrix is read once per step for all of them.
/// Requests beyond the slots wait in a bounded queue; cancelling a request frees its slot at the next step.
/// </summary>
public sealed class InferenceEngine : IAsyncDisposable
{
    private readonly DecoderBatch _batch;
    private readonly Slot[] _slots;
    private readonly LinkedList<Job> _waiting = new();
    private readonly object _gate = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    // Per-step buffers, B = BatchTokens: tokens, sequence of each, whether its logits are wanted, which slot each logits row belongs to.
    private readonly int[] _tokens, _seqs, _rowSlot;
    private readonly bool[] _want;
    private readonly float[] _logits; // [slots][vocab]
    private long _promptTotal, _generatedTotal;
    private int _busy;

    public InferenceEngine(DecoderModel model, EngineOptions options)
    {
        if (options.Slots < 1) throw new ArgumentException("at least one slot is needed");
        if (options.ContextLength < 8) throw new ArgumentException("the context must hold at least 8 tokens");
        if (options.MaxQueue < 0) throw new ArgumentException("the queue length cannot be negative");
        Model = model;
        Options = options;
        int batchTokens = Math.Max(options.BatchTokens, options.Slots);
        _batch = new DecoderBatch(model, options.Slots, options.ContextLength, options.Threads, batchTokens);
        _slots = Enumerable.Range(0, options.Slots).Select(i => new Slot(i)).ToArray();
        _tokens = new int[batchTokens];
        _seqs = new int[batchTokens];
        _want = new bool[batchTokens];
        _rowSlot = new int[options.Slots];
        _logits = new float[(long)options.Slots * model.Config.VocabSize];
        _thread = new Thread(Loop) { IsBackground = true, Name = "baimo-scheduler" };
        _thread.Start();
    }

    public DecoderModel Model { get; }
    public EngineOptions Options { get; }
    public int QueueDepth { get { lock (_gate) return _waiting.Count; } }
    public int BusySlots => Volatile.Read(ref _busy);
    public long PromptTokensTotal => Interlocked.Read(ref _promptTotal);
    public long GeneratedTokensTotal => Interlocked.Read(ref _generatedTotal);

    /// <summary>
    /// Queues a request and returns its event stream. Validates first, synchronously: a prompt that does not
    /// fit the context, bad options or a full queue throw here and nothing is queued.
    /// </summary>
    public ChannelReader<TokenEvent> Submit(CompletionRequest request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        if (request.Prompt.Count == 0) throw new ArgumentException("the prompt has no tokens");
        if (request.Prompt.Count >= Options.ContextLength) throw new ContextFullException(Options.ContextLength, 0, request.Prompt.Count);
        if (request.TopLogprobs is < 0 or > 20) throw new ArgumentException("top_logprobs must be between 0 and 20");
        request.Options.Sampling.Validate();
        foreach (var id in request.Prompt)
            if ((uint)id >= (uint)Model.Config.VocabSize) throw new ArgumentException($"token id {id} is outside the vocabulary");
        var job = new Job(request, cancellationToken);
        lock (_gate)
        {
            int free = _slots.Count(s => !s.Busy);
            // Free slots will take waiting requests at the next step, so they do not count against the queue.
            if (_waiting.Count >= Options.MaxQueue + free)
                throw new EngineBusyException(_waiting.Count, TimeSpan.FromSeconds(Math.Clamp(_waiting.Count, 1, 30)));
            _waiting.AddLast(job);
        }
        _wake.Release();
        return job.Events.Reader;
    }

    /// <summary>Convenience: streams a request's events.</summary>
    public async IAsyncEnumerable<TokenEvent> GenerateAsync(CompletionRequest request,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = Submit(request, cancellationToken);
        await foreach (var e in reader.ReadAllAsync(CancellationToken.None)) yield return e;
    }

    private void Loop()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                Admit();
                if (!Step()) _wake.Wait(50, _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
        finally
        {
            foreach (var s in _slots) if (s.Busy) Finish(s, FinishReason.Cancelled);
            lock (_gate)
                foreach (var j in _waiting) j.Events.Writer.TryComplete(new ObjectDisposedException(nameof(InferenceEngine)));
        }
    }

    /// <summary>Moves waiting requests into free slots, reusing the best cached prefix.</summary>
    private void Admit()
    {
        while (true)
        {
            Job? job;
            Slot? best = null;
            int bestCommon = -1;
            lock (_gate)
            {
                // Drop requests cancelled while waiting.
                for (var n = _waiting.First; n != null;)
                {
                    var next = n.Next;
                    if (n.Value.Cancellation.IsCancellationRequested || n.Value.Expired)
                    {
                        _waiting.Remove(n);
                        n.Value.Events.Writer.TryWrite(new TokenEvent(-1, "", 0, null, FinishReason.Cancelled,
                            new CompletionUsage(n.Value.Request.Prompt.Count, 0, 0, TimeSpan.Zero, Stopwatch.GetElapsedTime(n.Value.Submitted))));
                        n.Value.Events.Writer.TryComplete();
                    }
                    n = next;
                }
                if (_waiting.Count == 0) return;
                job = _waiting.First!.Value;
                foreach (var s in _slots)
                {
                    if (s.Busy) continue;
                    int common = PrefixCache.CommonPrefix(s.Cached, job.Request.Prompt);
                    if (common > bestCommon) (best, bestCommon) = (s, common);
                }
                if (best == null) return;
                _waiting.RemoveFirst();
            }
            Start(best, job, bestCommon);
        }
    }

    private void Start(Slot s, Job job, int common)
    {
        var prompt = job.Request.Prompt;
        _batch.Truncate(s.Index, common);
        s.Cached.RemoveRange(common, s.Cached.Count - common);
        s.Job = job;
        s.Pending = prompt.Skip(common).ToArray();
        s.PendingAt = 0;
        s.NextToken = -1;
        s.CachedPromptTokens = common;
        s.Generated = 0;
        s.FirstTokenAt = 0;
        s.Generator = new SequenceGenerator(Model.Tokenizer, prompt, job.Request.Options, job.Request.Constraint);
        Interlocked.Increment(ref _busy);
    }

    /// <summary>One forward pass over every busy slot; false when there was nothing to do.</summary>
    private bool Step()
    {
        int n = 0, rows = 0, budget = _tokens.Length, prompted = 0;
        foreach (var s in _slots)
        {
            if (!s.Busy) continue;
            var job = s.Job!;
            if (job.Cancellation.IsCancellationRequested || job.Expired) { Finish(s, FinishReason.Cancelled); continue; }
            if (s.NextToken >= 0)
            {
                if (_batch.Length(s.Index) >= Options.ContextLength) { Finish(s, FinishReason.ContextFull); continue; }
                _tokens[n] = s.NextToken; _seqs[n] = s.Index; _want[n] = true; n++;
                _rowSlot[rows++] = s.Index;
                s.Cached.Add(s.NextToken);
                s.NextToken = -1;
                budget--;
            }
        }
        // Prompt chunks share what is left of the batch; the generating slots went first so that a long
        // prompt never stalls everyone else's next token.
        foreach (var s in _slots)
        {
            if (!s.Prefilling || budget <= 0) continue;
            int take = Math.Min(budget, s.Pending.Length - s.PendingAt);
            for (int i = 0; i < take; i++)
            {
                int tok = s.Pending[s.PendingAt + i];
                _tokens[n] = tok; _seqs[n] = s.Index; _want[n] = false; n++;
                s.Cached.Add(tok);
            }
            s.PendingAt += take;
            budget -= take;
            prompted += take;
            if (!s.Prefilling) { _want[n - 1] = true; _rowSlot[rows++] = s.Index; }
        }
        if (n == 0) return false;

        int vocab = Model.Config.VocabSize;
        try
        {
            _batch.Decode(_tokens.AsSpan(0, n), _seqs.AsSpan(0, n), _want.AsSpan(0, n), _logits.AsSpan(0, rows * vocab));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Nothing was stored for this batch: fail its requests, forget their slots' caches, keep serving.
            foreach (var s in _slots)
            {
                if (!s.Busy || !_seqs.AsSpan(0, n).Contains(s.Index)) continue;
                s.Job!.Events.Writer.TryComplete(e);
                s.Cached.Clear();
                _batch.Truncate(s.Index, 0);
                s.Job = null;
                s.Generator = null;
                s.NextToken = -1;
                Interlocked.Decrement(ref _busy);
            }
            return true;
        }
        for (int r = 0; r < rows; r++)
        {
            var s = _slots[_rowSlot[r]];
            if (!s.Busy) continue;
            Emit(s, _logits.AsSpan(r * vocab, vocab));
        }
        Interlocked.Add(ref _promptTotal, prompted);
        return true;
    }

    private void Emit(Slot s, Span<float> logits)
    {
        var job = s.Job!;
        var top = job.Request.TopLogprobs > 0 ? TopOf(logits, job.Request.TopLogprobs) : null;
        var step = s.Generator!.Step(logits);
        if (step.TokenId >= 0)
        {
            if (s.Generated++ == 0) s.FirstTokenAt = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _generatedTotal);
        }
        if (step.Finish is { } f)
        {
            if (step.TokenId >= 0 || step.Text.Length > 0)
                job.Events.Writer.TryWrite(new TokenEvent(step.TokenId, step.Text, job.Request.Logprobs ? step.Logprob : 0, top, null, null));
            Complete(s, f);
            return;
        }
        job.Events.Writer.TryWrite(new TokenEvent(step.TokenId, step.Text, job.Request.Logprobs ? step.Logprob : 0, top, null, null));
        s.NextToken = step.TokenId;
    }

    private TopLogprob[] TopOf(ReadOnlySpan<float> logits, int k)
    {
        // Log-softmax normaliser, then a small insertion list of the k best.
        float max = float.NegativeInfinity;
        foreach (var v in logits) if (v > max) max = v;
        double sum = 0;
        foreach (var v in logits) sum += MathF.Exp(v - max);
        float logZ = max + (float)Math.Log(sum);
        var ids = new int[k];
        var vals = new float[k];
        Array.Fill(vals, float.NegativeInfinity);
        for (int i = 0; i < logits.Length; i++)
        {
            float v = logits[i];
            if (v <= vals[k - 1]) continue;
            int j = k - 1;
            while (j > 0 && vals[j - 1] < v) { vals[j] = vals[j - 1]; ids[j] = ids[j - 1]; j--; }
            vals[j] = v;
            ids[j] = i;
        }
        var result = new TopLogprob[k];
        for (int j = 0; j < k; j++)
            result[j] = new TopLogprob(ids[j], System.Text.Encoding.UTF8.GetString(Model.Tokenizer.TokenToPiece(ids[j])), vals[j] - logZ);
        return result;
    }

    private void Finish(Slot s, FinishReason reason)
    {
        var end = s.Generator!.End(reason);
        if (end.Text.Length > 0) s.Job!.Events.Writer.TryWrite(new TokenEvent(-1, end.Text, 0, null, null, null));
        Complete(s, reason);
    }

    private void Complete(Slot s, FinishReason reason)
    {
        var job = s.Job!;
        var total = Stopwatch.GetElapsedTime(job.Submitted);
        var ttft = s.FirstTokenAt == 0 ? total : Stopwatch.GetElapsedTime(job.Submitted, s.FirstTokenAt);
        job.Events.Writer.TryWrite(new TokenEvent(-1, "", 0, null, reason,
            new CompletionUsage(job.Request.Prompt.Count, s.CachedPromptTokens, s.Generated, ttft, total)));
        job.Events.Writer.TryComplete();
        // The slot keeps what it evaluated (Cached holds exactly the tokens in its KV cache, even for a
        // request that ended while reading its prompt), so a later request with that prefix skips it.
        s.Job = null;
        s.Generator = null;
        s.NextToken = -1;
        Interlocked.Decrement(ref _busy);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _wake.Release();
        await Task.Run(() => _thread.Join());
        _batch.Dispose();
        _stop.Dispose();
        _wake.Dispose();
    }
}
