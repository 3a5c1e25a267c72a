namespace Baimo.Kernels.Cpu.Tests;

public class ThreadPoolTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void ForCoversEveryIndexOnce(int threads)
    {
        using var pool = new CpuThreadPool(threads);
        Assert.Equal(threads, pool.Threads);
        for (int count = 0; count <= 100; count++)
        {
            var hits = new int[count];
            pool.For(count, (s, e) => { for (int i = s; i < e; i++) Interlocked.Increment(ref hits[i]); });
            Assert.All(hits, h => Assert.Equal(1, h));
            var hits2 = new int[count];
            pool.For(count, hits2, (h, s, e) => { for (int i = s; i < e; i++) Interlocked.Increment(ref h[i]); });
            Assert.All(hits2, h => Assert.Equal(1, h));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ForDynamicCoversEveryIndexOnce(int threads)
    {
        using var pool = new CpuThreadPool(threads);
        foreach (int grain in new[] { 1, 2, 7, 64 })
            for (int count = 0; count <= 100; count += 3)
            {
                var hits = new int[count];
                pool.ForDynamic(count, grain, hits, (h, s, e) =>
                {
                    Assert.True(s < e && (threads == 1 || e - s <= grain)); // one thread: the whole range at once
                    for (int i = s; i < e; i++) Interlocked.Increment(ref h[i]);
                });
                Assert.All(hits, h => Assert.Equal(1, h));
            }
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.ForDynamic(4, 0, 0, (_, _, _) => { }));
        Assert.Equal(1, pool.Grain(3));
        Assert.Equal(100 / (threads * 8), pool.Grain(100));
    }

    [Fact]
    public void ForDynamicLetsAFastThreadTakeMoreOfTheWork()
    {
        // One index of the first chunk is slow: the other thread must take the rest instead of waiting.
        using var pool = new CpuThreadPool(2);
        var owner = new int[64];
        pool.ForDynamic(64, 1, owner, (o, s, e) =>
        {
            if (s == 0) Thread.Sleep(200);
            for (int i = s; i < e; i++) o[i] = Environment.CurrentManagedThreadId;
        });
        int slow = owner[0];
        Assert.True(owner.Count(id => id != slow) >= 60, $"{owner.Count(id => id != slow)} of 64 on the fast thread");
    }

    [Fact]
    public void ChunksAreContiguousAndOnePerThread()
    {
        using var pool = new CpuThreadPool(3);
        var chunks = new List<(int, int)>();
        pool.For(10, (s, e) => { lock (chunks) chunks.Add((s, e)); });
        chunks.Sort();
        Assert.Equal([(0, 3), (3, 6), (6, 10)], chunks);
    }

    [Fact]
    public void UsesSeveralThreads()
    {
        using var pool = new CpuThreadPool(4);
        var ids = new HashSet<int>();
        using var barrier = new Barrier(4);
        // Every chunk waits for the others: only passes if the four chunks really run at the same time.
        pool.For(4, (s, e) => { lock (ids) ids.Add(Environment.CurrentManagedThreadId); barrier.SignalAndWait(TimeSpan.FromSeconds(10)); });
        Assert.Equal(4, ids.Count);
    }

    [Fact]
    public void RepeatedCallsManyTimes()
    {
        using var pool = new CpuThreadPool(3);
        long total = 0;
        for (int k = 0; k < 20000; k++)
            pool.For(7, (s, e) => Interlocked.Add(ref total, e - s));
        Assert.Equal(20000L * 7, total);
    }

    [Fact]
    public void CallsAfterIdleWakeTheWorkers()
    {
        using var pool = new CpuThreadPool(2);
        for (int k = 0; k < 3; k++)
        {
            Thread.Sleep(50); // long enough for the workers to park
            int n = 0;
            pool.For(2, (s, e) => Interlocked.Add(ref n, e - s));
            Assert.Equal(2, n);
        }
    }

    [Fact]
    public void NestedCallsRunInline()
    {
        using var pool = new CpuThreadPool(3);
        var hits = new int[9 * 11];
        pool.For(9, (s, e) =>
        {
            for (int i = s; i < e; i++)
            {
                int row = i;
                pool.For(11, (s2, e2) => { for (int j = s2; j < e2; j++) Interlocked.Increment(ref hits[row * 11 + j]); });
            }
        });
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public async Task ConcurrentCallersBothComplete()
    {
        using var pool = new CpuThreadPool(2);
        long a = 0, b = 0;
        var cancel = TestContext.Current.CancellationToken;
        var t1 = Task.Run(() => { for (int k = 0; k < 2000; k++) pool.For(5, (s, e) => Interlocked.Add(ref a, e - s)); }, cancel);
        var t2 = Task.Run(() => { for (int k = 0; k < 2000; k++) pool.For(5, (s, e) => Interlocked.Add(ref b, e - s)); }, cancel);
        await Task.WhenAll(t1, t2).WaitAsync(TimeSpan.FromSeconds(60), cancel);
        Assert.Equal(10000, a);
        Assert.Equal(10000, b);
    }

    [Fact]
    public void ExceptionsReachTheCallerAndThePoolStaysUsable()
    {
        using var pool = new CpuThreadPool(3);
        var e = Assert.Throws<InvalidOperationException>(() => pool.For(3, (s, _) => { if (s == 2) throw new InvalidOperationException("boom"); }));
        Assert.Equal("boom", e.Message);
        int n = 0;
        pool.For(3, (s, e2) => Interlocked.Add(ref n, e2 - s));
        Assert.Equal(3, n);
    }

    [Fact]
    public void DisposeStopsTheWorkersAndRejectsCalls()
    {
        var pool = new CpuThreadPool(4);
        pool.For(4, (_, _) => { });
        pool.Dispose();
        pool.Dispose(); // twice is fine
        Assert.Throws<ObjectDisposedException>(() => pool.For(4, (_, _) => { }));
    }

    [Fact]
    public void StatefulForDoesNotAllocate()
    {
        using var pool = new CpuThreadPool(2);
        ForBody<int[]> body = static (h, s, e) => { for (int i = s; i < e; i++) h[i]++; };
        var hits = new int[64];
        pool.For(64, hits, body); // warm up (JIT, the cached job)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 1000; k++) pool.For(64, hits, body);
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
        Assert.All(hits, h => Assert.Equal(1001, h));
    }

    [Fact]
    public void RejectsNonPositiveThreadCounts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CpuThreadPool(0));
    }
}
