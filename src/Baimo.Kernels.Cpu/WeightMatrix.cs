using Baimo.Tensors;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// A weight matrix W [Rows = out][Cols = in] stored in any supported weight type, over memory the caller
/// owns and keeps alive (typically a memory-mapped model file): nothing is copied or repacked.
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
    }

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
            var a = ctx.Activations.Prepare(_kernel.ActivationType, px, tokens, Cols, pool);
            var job = new Job { W = _data, RowBytes = _rowBytes, A = &a, Y = py, Rows = Rows, Tile = _tile };
            // Split over rows while each thread gets a few row blocks; a short matrix with a long batch
            // splits over token tiles instead.
            int tiles = (tokens + DotKernel.MaxTile - 1) / DotKernel.MaxTile;
            if (Rows >= pool.Threads * RowBlock || tiles < pool.Threads)
                pool.For(Rows, job, RowsBody);
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
