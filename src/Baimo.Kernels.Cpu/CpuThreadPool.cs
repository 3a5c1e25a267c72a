using System.Runtime.ExceptionServices;

namespace Baimo.Kernels.Cpu;

/// <summary>The work of one <see cref="CpuThreadPool.For"/> call: indices [start, end).</summary>
public delegate void ForBody(int start, int end);

/// <summary>The work of one <see cref="CpuThreadPool.For{TState}"/> call; the state travels without a closure.</summary>
public delegate void ForBody<TState>(TState state, int start, int end);

/// <summary>
/// A fixed set of threads for data-parallel kernels. <see cref="For"/> splits [0, count) into one contiguous
/// chunk per thread, runs chunk 0 on the caller and the others on the workers, and returns when all are done.
/// Workers spin for a short while after each job (the next matmul usually follows within microseconds) and
/// then park on an event, so an idle pool costs no CPU. A call allocates nothing.
/// </summary>
/// <remarks>
/// A call made while the pool is busy (from inside a body, or from a second thread at the same time) runs
/// its chunks one after another on the calling thread: same results, no deadlock.
/// </remarks>
public sealed class CpuThreadPool : IDisposable
{
    // How long a worker (or the caller waiting for workers) spins before parking: ~50 µs on a current core.
    // With more threads than cores spinning only steals time from the thread that has work: park at once.
    private readonly int _spinIterations;

    private readonly Thread[] _workers;          // [Threads - 1]
    private readonly Parker[] _wake; // [Threads - 1], set when a new job is published
    private readonly Parker _done = new();
    private int _generation;   // bumped once per published job
    private int _pending;      // workers still running the current job
    private int _busy;         // 1 while a job is in flight
    private volatile bool _disposed;
    private Job? _job;         // the current job
    private int _count;        // its index count
    private int _grain;        // 0: one contiguous chunk per thread; else chunks of this many, taken in turn
    private int _next;         // with a grain: the first index not yet taken
    private ExceptionDispatchInfo? _error;

    /// <summary>Starts <paramref name="threads"/> − 1 workers (the caller is the last thread).</summary>
    public CpuThreadPool(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        _spinIterations = threads <= Environment.ProcessorCount ? 2000 : 0;
        _workers = new Thread[threads - 1];
        _wake = new Parker[threads - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            _wake[i] = new Parker();
            int index = i + 1;
            _workers[i] = new Thread(() => WorkerLoop(index)) { IsBackground = true, Name = $"Baimo CPU worker {index}" };
            _workers[i].Start();
        }
    }

    /// <summary>A pool with one thread per core the process may use.</summary>
    public CpuThreadPool() : this(CpuTopology.DefaultThreads) { }

    /// <summary>Number of threads taking part in a call, the caller included.</summary>
    public int Threads { get; }

    /// <summary>Calls <paramref name="body"/>(start, end) over contiguous chunks covering [0, count), one per thread.</summary>
    public void For(int count, ForBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (count <= 0) return;
        if (!TryAcquire(count))
        {
            for (int i = 0; i < Threads; i++) { var (s, e) = Chunk(count, i); if (s < e) body(s, e); }
            return;
        }
        var item = PlainJob.ForThisThread;
        item.Body = body;
        try { Run(count, item); }
        finally { item.Body = null; }
    }

    /// <summary>Calls <paramref name="body"/>(state, start, end) over contiguous chunks covering [0, count), one per thread.</summary>
    public void For<TState>(int count, TState state, ForBody<TState> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (count <= 0) return;
        if (!TryAcquire(count))
        {
            for (int i = 0; i < Threads; i++) { var (s, e) = Chunk(count, i); if (s < e) body(state, s, e); }
            return;
        }
        var item = StateJob<TState>.ForThisThread;
        item.Body = body;
        item.State = state;
        try { Run(count, item); }
        finally { item.Body = null; item.State = default!; }
    }

    /// <summary>
    /// As <see cref="For{TState}(int, TState, ForBody{TState})"/>, but the threads take chunks of
    /// <paramref name="grain"/> indices in turn until none is left, so a thread that starts late or runs slower
    /// (a worker waking from park, a core shared with another process) does less of the work instead of making
    /// every other thread wait for it. For bodies whose chunks cost about the same per index. A call that runs
    /// on the calling thread alone (one thread, a single grain, or the pool busy) makes one call over the whole range.
    /// </summary>
    public void ForDynamic<TState>(int count, int grain, TState state, ForBody<TState> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfLessThan(grain, 1);
        if (count <= 0) return;
        if (count <= grain || !TryAcquire(count))
        {
            body(state, 0, count);
            return;
        }
        var item = StateJob<TState>.ForThisThread;
        item.Body = body;
        item.State = state;
        try { Run(count, item, grain); }
        finally { item.Body = null; item.State = default!; }
    }

    /// <summary>A grain that gives each thread about <paramref name="perThread"/> chunks of <paramref name="count"/> indices.</summary>
    public int Grain(int count, int perThread = 8) => Math.Max(1, count / (Threads * perThread));

    /// <summary>
    /// Takes the workers for a job of <paramref name="count"/> indices; false when the job is a single
    /// chunk or the workers are taken (a nested or concurrent call), and the caller runs the chunks itself.
    /// </summary>
    private bool TryAcquire(int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Threads > 1 && count > 1 && Interlocked.CompareExchange(ref _busy, 1, 0) == 0;
    }

    private (int Start, int End) Chunk(int count, int index) =>
        ((int)((long)count * index / Threads), (int)((long)count * (index + 1) / Threads));

    /// <summary>Runs a job on all threads; the caller holds <see cref="_busy"/>.</summary>
    private void Run(int count, Job job, int grain = 0)
    {
        try
        {
            _job = job;
            _count = count;
            _grain = grain;
            _next = 0;
            _error = null;
            Volatile.Write(ref _pending, _workers.Length);
            Interlocked.Increment(ref _generation); // publishes the fields above
            foreach (var w in _wake) w.Set();
            try { RunChunk(job, count, 0); }
            catch (Exception e) { Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null); }
            WaitForWorkers();
            _job = null;
            _error?.Throw();
        }
        finally { Volatile.Write(ref _busy, 0); }
    }

    private void RunChunk(Job job, int count, int index)
    {
        int grain = _grain;
        if (grain > 0)
        {
            while (true)
            {
                int s = Interlocked.Add(ref _next, grain) - grain;
                if (s >= count) return;
                job.Run(s, Math.Min(count, s + grain));
            }
        }
        var (start, end) = Chunk(count, index);
        if (start < end) job.Run(start, end);
    }

    private void WaitForWorkers()
    {
        for (int spin = 0; spin < _spinIterations; spin++)
        {
            if (Volatile.Read(ref _pending) == 0) return;
            Pause(spin);
        }
        while (true)
        {
            _done.Reset();
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref _pending) == 0) return; // a Set before the Reset is not lost: pending is 0 already
            _done.Wait();
        }
    }

    /// <summary>A short pause; every 64th gives the core away, in case another thread here has the work.</summary>
    private static void Pause(int spin)
    {
        if ((spin & 63) == 63) Thread.Yield();
        else Thread.SpinWait(8);
    }

    private void WorkerLoop(int index)
    {
        var wake = _wake[index - 1];
        int seen = 0;
        while (true)
        {
            int spin = 0;
            while (Volatile.Read(ref _generation) == seen)
            {
                if (++spin < _spinIterations) { Pause(spin); continue; }
                wake.Reset();
                Interlocked.MemoryBarrier();
                // The publisher bumps the generation before it sets the event, so either we see the new
                // generation now or the Set comes after our Reset and Wait returns.
                if (Volatile.Read(ref _generation) != seen) break;
                wake.Wait();
                spin = 0;
            }
            seen = Volatile.Read(ref _generation);
            if (_disposed) return;
            try { RunChunk(_job!, _count, index); }
            catch (Exception e) { Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null); }
            if (Interlocked.Decrement(ref _pending) == 0) _done.Set();
        }
    }

    /// <summary>Stops the workers (after the job in flight, if any) and releases the events.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Interlocked.Increment(ref _generation);
        foreach (var w in _wake) w.Set();
        foreach (var t in _workers) t.Join();
    }

    /// <summary>
    /// A manual-reset event on a monitor. ManualResetEventSlim would do, but it creates its lock object the
    /// first time someone waits, which would make a later For call allocate.
    /// </summary>
    private sealed class Parker
    {
        private readonly object _lock = new();
        private bool _set;

        public void Set()
        {
            lock (_lock)
            {
                _set = true;
                Monitor.PulseAll(_lock);
            }
        }

        public void Reset()
        {
            lock (_lock) _set = false;
        }

        public void Wait()
        {
            lock (_lock)
                while (!_set) Monitor.Wait(_lock);
        }
    }

    /// <summary>A published job; instances are cached per calling thread, so a call allocates nothing.</summary>
    private abstract class Job
    {
        public abstract void Run(int start, int end);
    }

    private sealed class PlainJob : Job
    {
        [ThreadStatic] private static PlainJob? _cached;
        public static PlainJob ForThisThread => _cached ??= new PlainJob();
        public ForBody? Body;
        public override void Run(int start, int end) => Body!(start, end);
    }

    private sealed class StateJob<TState> : Job
    {
        [ThreadStatic] private static StateJob<TState>? _cached;
        public static StateJob<TState> ForThisThread => _cached ??= new StateJob<TState>();
        public ForBody<TState>? Body;
        public TState State = default!;
        public override void Run(int start, int end) => Body!(State, start, end);
    }
}
