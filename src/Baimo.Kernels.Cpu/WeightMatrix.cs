using System.Runtime.InteropServices;
using Baimo.Tensors;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// A weight matrix W [Rows = out][Cols = in] stored in any supported weight type, over memory the caller
/// owns and keeps alive (typically a memory-mapped model file). Types with a packed kernel on this CPU
/// (see <see cref="PackedKernel"/>) are repacked into native memory of the same size on the first
/// <see cref="Multiply"/>; when the source lies in a shared file mapping its pages are then dropped from
/// the process (they come back from the file if <see cref="GetRow"/> or anyone else touches them), so the
/// process keeps about one copy.
/// </summary>
public sealed unsafe class WeightMatrix
{
    /// <summary>Rows per cache block: a block of weight rows is reused for every token tile while it sits in L1/L2.</summary>
    private const int RowBlock = 16;

    private readonly byte* _data;       // [Rows][RowBytes]
    private readonly nint _rowBytes;
    private readonly WeightCodec _codec;
    private readonly DotKernel _kernel;
    private readonly delegate*<byte*, Activations*, int, int, float*, nint, void> _tile;
    private readonly PackedKernel? _packedKernel; // null: rows are read in the file layout
    private readonly bool _floatGemm;              // F16/BF16 prompts take the widened register-tile path
    private readonly bool _floatRows;              // F16/BF16 pack four rows a group (FloatRows) on this CPU
    private readonly Lock _packLock = new();
    private bool _packFailed;                      // a scale was not finite: the file layout stays in use
    private nint _packed;                          // byte* [groups][GroupBytes], made on first use

    private WeightMatrix(string name, WeightType type, byte* data, int rows, int cols, WeightCodec codec, DotKernel kernel, bool scalar)
    {
        Name = name;
        Type = type;
        _data = data;
        Rows = rows;
        Cols = cols;
        _codec = codec;
        _kernel = kernel;
        _rowBytes = (nint)codec.RowBytes(cols);
        _tile = scalar ? kernel.Scalar : kernel.Fast;
        _packedKernel = scalar ? null : PackedKernel.For(type);
        _floatGemm = !scalar && FloatGemm.Supports(type);
        _floatRows = !scalar && FloatRows.Supports(type);
    }

    ~WeightMatrix()
    {
        if (_packed != 0) NativeMemory.AlignedFree((void*)_packed);
    }

    /// <summary>Whether products run on the packed layout (after the first one).</summary>
    internal bool Packs => _packedKernel != null || _floatRows;

    /// <summary>Whether the packed copy exists (made by the first product, unless the weights ruled it out).</summary>
    internal bool IsPacked => Volatile.Read(ref _packed) != 0;

    /// <summary>
    /// Makes the packed copy now rather than on the first product (a server or a benchmark pays it at load);
    /// returns its bytes, 0 when this type has no packed layout on this CPU or the weights rule it out.
    /// </summary>
    public long Prepare(CpuThreadPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (!Packs || Packed(pool) == null) return 0;
        GC.KeepAlive(this);
        return PackedBytes;
    }

    /// <summary>
    /// Touches every page of the weights once, so that the page faults of a cold mapping (the file read from disk,
    /// or mapped from the page cache) are paid, and can be timed, apart from the work that follows; returns the bytes.
    /// </summary>
    public long ReadPages()
    {
        long bytes = Rows * _rowBytes;
        int page = Environment.SystemPageSize, sink = 0;
        for (long at = 0; at < bytes; at += page) sink += _data[at];
        GC.KeepAlive(sink);
        return bytes;
    }

    private int GroupRows => _floatRows ? FloatRows.GroupRows : _packedKernel!.RowsPerGroup;

    private nint GroupBytes => _floatRows ? FloatRows.GroupBytes(Cols) : _packedKernel!.GroupBytes(Cols);

    private int Groups => (Rows + GroupRows - 1) / GroupRows;

    /// <summary>Bytes of the packed copy: whole groups (the last one padded with zero rows).</summary>
    private nint PackedBytes => Groups * GroupBytes;

    /// <summary>
    /// The packed groups, made on the first call (the groups split over the pool); null when the weights rule
    /// the layout out (a non-finite quantization scale, an F16 infinity or NaN) and the file layout stays in use.
    /// </summary>
    private byte* Packed(CpuThreadPool pool)
    {
        byte* p = (byte*)Volatile.Read(ref _packed);
        if (p != null) return p;
        lock (_packLock)
        {
            if (_packed != 0) return (byte*)_packed;
            if (_packFailed) return null;
            int groupRows = GroupRows;
            int groups = Groups;
            nint groupBytes = GroupBytes;
            p = PackedKernel.Allocate(PackedBytes);
            int bad = 0;
            var job = new PackJob { Src = _data, Rows = Rows, RowBytes = _rowBytes, GroupRows = groupRows, Dst = p, GroupBytes = groupBytes, Bad = &bad };
            if (_floatRows)
            {
                job.Count = Cols;
                job.Pack = Type == WeightType.BF16 ? &FloatRows.PackGroupBf16 : &FloatRows.PackGroupF16;
            }
            else
            {
                job.Count = Cols / _packedKernel!.BlockValues;
                job.Pack = _packedKernel.Pack;
            }
            pool.For(groups, job, PackBody);
            if (Volatile.Read(ref bad) != 0)
            {
                NativeMemory.AlignedFree(p);
                _packFailed = true;
                return null;
            }
            PackedKernel.ReleasePages(_data, Rows * _rowBytes);
            Volatile.Write(ref _packed, (nint)p);
            return p;
        }
    }

    private struct PackJob
    {
        public byte* Src;        // [Rows][RowBytes]
        public int Rows;
        public nint RowBytes;
        public int GroupRows;
        public byte* Dst;        // [groups][GroupBytes]
        public nint GroupBytes;
        public int Count;        // the pack function's third argument: blocks (quantized) or columns (F16/BF16) per row
        public delegate*<byte*, nint, int, byte*, bool> Pack;
        public int* Bad;         // set to 1 when a group cannot be packed
    }

    private static readonly ForBody<PackJob> PackBody = (j, start, end) =>
    {
        for (int g = start; g < end; g++)
        {
            int r0 = g * j.GroupRows, n = Math.Min(j.GroupRows, j.Rows - r0);
            byte* src = j.Src + r0 * j.RowBytes;
            byte[]? last = null;
            if (n < j.GroupRows)
            {
                // The last, partial group: its missing rows are zero bytes (zero weights or scales), never stored.
                last = new byte[j.GroupRows * j.RowBytes];
                new ReadOnlySpan<byte>(src, (int)(n * j.RowBytes)).CopyTo(last);
            }
            fixed (byte* l = last)
                if (!j.Pack(l != null ? l : src, j.RowBytes, j.Count, j.Dst + g * j.GroupBytes))
                    Volatile.Write(ref *j.Bad, 1);
        }
    };

    /// <summary>
    /// Wraps <paramref name="rows"/> × <paramref name="cols"/> weights of <paramref name="type"/> at
    /// <paramref name="data"/> ([rows][cols / blockSize][bytesPerBlock]).
    /// </summary>
    /// <exception cref="UnsupportedWeightTypeException">No kernel for the type; the message names the tensor.</exception>
    /// <exception cref="ArgumentException">cols is not a positive multiple of the type's block size, or rows is not positive.</exception>
    public static WeightMatrix Create(string name, WeightType type, byte* data, int rows, int cols) =>
        Create(name, type, data, rows, cols, scalar: false);

    /// <summary>As the public overload; <paramref name="scalar"/> selects the scalar reference kernels (for tests).</summary>
    internal static WeightMatrix Create(string name, WeightType type, byte* data, int rows, int cols, bool scalar)
    {
        ArgumentNullException.ThrowIfNull(name);
        var codec = WeightCodecs.Get(type, name);
        var kernel = DotKernel.For(type) ?? throw new UnsupportedWeightTypeException(type, name);
        if (data == null) throw new ArgumentNullException(nameof(data));
        if (rows <= 0) throw new ArgumentException($"tensor '{name}': {rows} rows", nameof(rows));
        int bs = codec.Layout.BlockSize;
        if (cols <= 0 || cols % bs != 0)
            throw new ArgumentException($"tensor '{name}': {cols} columns is not a positive multiple of the {type} block size {bs}", nameof(cols));
        return new WeightMatrix(name, type, data, rows, cols, codec, kernel, scalar);
    }

    public string Name { get; }
    public WeightType Type { get; }
    public int Rows { get; }
    public int Cols { get; }

    /// <summary>Bytes of one row.</summary>
    public long RowBytes => _rowBytes;

    /// <summary>
    /// y[t][r] = Σ_c W[r][c]·x[t][c] for t &lt; <paramref name="tokens"/>; x [tokens][Cols], y [tokens][Rows].
    /// The activations are first converted to the type's activation format as llama.cpp's CPU backend does,
    /// then each block's integer dot product is scaled as ggml's vec_dot does.
    /// </summary>
    public void Multiply(ReadOnlySpan<float> x, int tokens, Span<float> y, MatMulContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentOutOfRangeException.ThrowIfNegative(tokens);
        if (x.Length < (long)tokens * Cols) throw new ArgumentException($"x holds {x.Length} values, {tokens} tokens of '{Name}' need {(long)tokens * Cols}", nameof(x));
        if (y.Length < (long)tokens * Rows) throw new ArgumentException($"y holds {y.Length} values, {tokens} tokens of '{Name}' need {(long)tokens * Rows}", nameof(y));
        if (tokens == 0) return;
        var pool = ctx.Pool;
        fixed (float* px = x, py = y)
        {
            // F16/BF16: the packed copy first, since packed F16 decode runs on activations scaled to meet its widened
            // weights (prompts scale them while copying them into the tiles' padded rows).
            byte* fp = _floatRows ? Packed(pool) : null;
            bool scaled = fp != null && Type == WeightType.F16 && tokens < FloatGemm.MinTokens;
            var a = ctx.Activations.Prepare(_kernel.ActivationType, px, tokens, Cols, pool, scaledF16: scaled);
            if (fp != null)
            {
                if (tokens >= FloatGemm.MinTokens) FloatGemm.MultiplyPacked(fp, Type, &a, py, Rows, pool);
                else FloatRows.Multiply(fp, Type, &a, py, Rows, pool);
                GC.KeepAlive(this); // the finalizer frees the packed copy the jobs read
                return;
            }
            if (_floatGemm && tokens >= FloatGemm.MinTokens)
            {
                FloatGemm.Multiply(_data, _rowBytes, Type, &a, py, Rows, pool);
                return;
            }
            var job = new Job { W = _data, RowBytes = _rowBytes, A = &a, Y = py, Rows = Rows, Tile = _tile };
            if (_packedKernel != null && (job.Packed = Packed(pool)) != null)
            {
                job.GroupBytes = GroupBytes;
                job.PackedTile = _packedKernel.Tile;
                job.GroupRows = _packedKernel.RowsPerGroup;
                int groups = Groups;
                int packedTiles = (tokens + PackedKernel.MaxTile - 1) / PackedKernel.MaxTile;
                // Groups split over the threads; a short matrix with a long batch splits over token tiles.
                if (groups >= 4 * pool.Threads || packedTiles < pool.Threads)
                    pool.ForDynamic(groups, pool.Grain(groups), job, PackedBody);
                else
                {
                    job.SplitTokens = true;
                    pool.For(packedTiles, job, PackedBody);
                }
                // The job reads the packed copy through a raw pointer: the finalizer that frees it must
                // not run before the product is done, even when the caller drops its last reference.
                GC.KeepAlive(this);
                return;
            }
            // Split over rows while each thread gets a few row blocks; a short matrix with a long batch
            // splits over token tiles instead.
            int tiles = (tokens + DotKernel.MaxTile - 1) / DotKernel.MaxTile;
            if (Rows >= pool.Threads * RowBlock || tiles < pool.Threads)
                pool.ForDynamic(Rows, (pool.Grain(Rows) + RowBlock - 1) / RowBlock * RowBlock, job, RowsBody);
            else
            {
                job.SplitTokens = true;
                pool.For(tiles, job, RowsBody);
            }
        }
    }

    /// <summary>Dequantizes row <paramref name="row"/> into <paramref name="dst"/> [Cols], exactly (ggml's get_rows).</summary>
    public void GetRow(int row, Span<float> dst)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        if (dst.Length < Cols) throw new ArgumentException($"destination holds {dst.Length} values, a row of '{Name}' has {Cols}", nameof(dst));
        _codec.Dequantize(new ReadOnlySpan<byte>(_data + row * _rowBytes, (int)_rowBytes), dst[..Cols]);
    }

    private struct Job
    {
        public byte* W;          // [Rows][RowBytes]
        public nint RowBytes;
        public Activations* A;   // [tokens][Cols] converted
        public float* Y;         // [tokens][Rows]
        public int Rows;
        public bool SplitTokens; // chunks are token tiles rather than rows
        public delegate*<byte*, Activations*, int, int, float*, nint, void> Tile;
        public byte* Packed;     // [ceil(Rows / GroupRows)][GroupBytes] or null
        public nint GroupBytes;
        public int GroupRows;    // rows per packed group (8, or 16 for the 512-bit forms)
        public delegate*<byte*, Activations*, int, int, float*, nint, void> PackedTile;
    }

    private static readonly ForBody<Job> PackedBody = RunPacked;

    /// <summary>
    /// Groups [start, end) (or token tiles, when split that way) against every token: a group (8 rows,
    /// a few KiB) stays in L1 while the token tiles pass over it. The last group may be partial: its
    /// results go through a scratch tile and only the real rows are kept.
    /// </summary>
    private static void RunPacked(Job j, int start, int end)
    {
        const int T = PackedKernel.MaxTile, MaxG = 16;
        int G = j.GroupRows;
        int tokens = j.A->Tokens, groups = (j.Rows + G - 1) / G;
        int g0 = 0, g1 = groups, t0 = 0, t1 = tokens;
        if (j.SplitTokens)
        {
            t0 = start * T;
            t1 = Math.Min(tokens, end * T);
        }
        else
        {
            g0 = start;
            g1 = end;
        }
        var tile = j.PackedTile;
        float* scratch = stackalloc float[T * MaxG];
        int tiles = (t1 - t0 + T - 1) / T;
        for (int g = g0; g < g1; g++)
        {
            byte* w = j.Packed + g * j.GroupBytes;
            int n = Math.Min(G, j.Rows - g * G);
            // With several token tiles per group the tiles are compute-bound: the next group is fetched
            // meanwhile instead of stalling its first tile (one tile — decode — streams, and the hardware
            // prefetcher keeps up).
            var next = tiles > 1 && g + 1 < g1 ? new Prefetch(w + j.GroupBytes, j.GroupBytes, tiles) : default;
            for (int t = t0; t < t1; t += T)
            {
                next.Step();
                int count = Math.Min(T, t1 - t);
                float* y = j.Y + (nint)t * j.Rows + g * G;
                if (n == G)
                {
                    tile(w, j.A, t, count, y, j.Rows);
                    continue;
                }
                tile(w, j.A, t, count, scratch, G);
                for (int i = 0; i < count; i++)
                    for (int r = 0; r < n; r++) y[i * j.Rows + r] = scratch[i * G + r];
            }
        }
    }

    private static readonly ForBody<Job> RowsBody = Run;

    private static void Run(Job j, int start, int end)
    {
        int tokens = j.A->Tokens;
        int r0 = 0, r1 = j.Rows, t0 = 0, t1 = tokens;
        if (j.SplitTokens)
        {
            t0 = start * DotKernel.MaxTile;
            t1 = Math.Min(tokens, end * DotKernel.MaxTile);
        }
        else
        {
            r0 = start;
            r1 = end;
        }
        var tile = j.Tile;
        for (int rb = r0; rb < r1; rb += RowBlock)
        {
            int rbEnd = Math.Min(r1, rb + RowBlock);
            for (int t = t0; t < t1; t += DotKernel.MaxTile)
            {
                int n = Math.Min(DotKernel.MaxTile, t1 - t);
                float* yt = j.Y + (nint)t * j.Rows;
                for (int r = rb; r < rbEnd; r++)
                    tile(j.W + r * j.RowBytes, j.A, t, n, yt + r, j.Rows);
            }
        }
    }
}
