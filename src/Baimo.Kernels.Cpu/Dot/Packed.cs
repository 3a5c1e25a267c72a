using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Baimo.Tensors;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// A weight type's row-interleaved ("packed") layout and its matrix-matrix kernel. Eight consecutive rows
/// form a group; the group's blocks are stored block by block, and within a block the codes are
/// interleaved four bytes at a time, so that 32-bit lane r of a 256-bit vector holds four consecutive
/// codes of row r. One VNNI multiply-add of such a vector with four activation codes broadcast to every
/// lane then advances all eight rows' dot products at once: the per-block scale work (int → float,
/// scale products, the fused add) is paid once per eight rows instead of once per row, and no horizontal
/// reduction is left at the end. The group's bytes equal the eight rows' bytes (the same codes and scales,
/// reordered; Q8_0 stores its codes offset by 128), so packing costs one pass over the matrix.
/// </summary>
internal sealed unsafe class PackedKernel
{
    /// <summary>Rows per group.</summary>
    public const int GroupRows = 8;

    /// <summary>Most tokens one <see cref="Tile"/> call handles.</summary>
    public const int MaxTile = 8;

    public required WeightType Type { get; init; }

    /// <summary>Rows per group of this kernel's layout: <see cref="GroupRows"/>, or 16 for the 512-bit forms.</summary>
    public int RowsPerGroup { get; init; } = GroupRows;

    /// <summary>Weight values per block (32 or 256).</summary>
    public required int BlockValues { get; init; }

    /// <summary>Bytes of one block of a whole group in the packed layout.</summary>
    public required int GroupBlockBytes { get; init; }

    /// <summary>
    /// Packs one group: src = the first of <see cref="RowsPerGroup"/> rows (rowBytes apart) in the file layout, nb blocks per row;
    /// dst [nb][GroupBlockBytes]. False when a scale is infinite or NaN (<see cref="Halves"/> assumes finite
    /// scales; such a matrix keeps the file layout).
    /// </summary>
    public required delegate*<byte*, nint, int, byte*, bool> Pack { get; init; }

    /// <summary>
    /// One group against a tile of tokens: y[i·yStride + r] = W[r] · x[t0 + i] for r &lt; <see cref="RowsPerGroup"/>, i &lt; count
    /// (count ≤ <see cref="MaxTile"/>). g: the packed group.
    /// </summary>
    public required delegate*<byte*, Activations*, int, int, float*, nint, void> Tile { get; init; }

    /// <summary>
    /// The packed kernel of <paramref name="type"/> on this CPU, or null (no AVX2, or none for the type): with
    /// AVX-VNNI one vpdpbusd per four codes of eight rows, otherwise the same kernels on vpmaddubsw + vpmaddwd
    /// (every packed type keeps its int16 pair sums in range: codes below 64, or signed codes — Q8_0, IQ4_NL — as
    /// magnitudes, their signs moved onto the activation codes).
    /// </summary>
    /// Without AVX-VNNI, a type with a 512-bit form runs it where AVX-512 BW is present (sixteen rows a group: half
    /// the instructions for the same products).
    public static PackedKernel? For(WeightType type) =>
        !Avx2.IsSupported || !Fma.IsSupported ? null
        : AvxVnni.IsSupported ? VnniTable.GetValueOrDefault(type)
        : Avx512BW.IsSupported && WideTable.TryGetValue(type, out var w) ? w
        : Avx2Table.GetValueOrDefault(type);

    /// <summary>Every packed kernel of <paramref name="type"/> this CPU can run, by instruction set (the tests run each).</summary>
    internal static IEnumerable<(string Isa, PackedKernel Kernel)> Variants(WeightType type)
    {
        if (!Avx2.IsSupported || !Fma.IsSupported) yield break;
        if (AvxVnni.IsSupported && VnniTable.TryGetValue(type, out var v)) yield return ("AVX-VNNI", v);
        if (Avx512BW.IsSupported && WideTable.TryGetValue(type, out var w)) yield return ("AVX-512", w);
        if (Avx2Table.TryGetValue(type, out var a)) yield return ("AVX2", a);
    }

    /// <summary>The 512-bit forms (AVX-512 BW, sixteen rows a group).</summary>
    private static readonly Dictionary<WeightType, PackedKernel> WideTable = new()
    {
        [WeightType.Q4_0] = Wide32<Q4_0Dot>(WeightType.Q4_0),
        [WeightType.Q4_1] = Wide32<Q4_1Dot>(WeightType.Q4_1),
        [WeightType.Q5_0] = Wide32<Q5_0Dot>(WeightType.Q5_0),
        [WeightType.Q5_1] = Wide32<Q5_1Dot>(WeightType.Q5_1),
        [WeightType.Q8_0] = new PackedKernel
        {
            Type = WeightType.Q8_0, BlockValues = 32, GroupBlockBytes = Q8_0Dot.WideBlock, RowsPerGroup = Q8_0Dot.WideRows,
            Pack = &Q8_0Dot.PackGroupWide, Tile = &Q8_0Dot.WideTile,
        },
        [WeightType.Q4_K] = new PackedKernel
        {
            Type = WeightType.Q4_K, BlockValues = 256, GroupBlockBytes = Q4_KDot.WideBlock, RowsPerGroup = Q4_KDot.WideRows,
            Pack = &Q4_KDot.PackGroupWide, Tile = &Q4_KDot.WideTile,
        },
        [WeightType.Q6_K] = new PackedKernel
        {
            Type = WeightType.Q6_K, BlockValues = 256, GroupBlockBytes = Q6_KDot.WideBlock, RowsPerGroup = Q6_KDot.WideRows,
            Pack = &Q6_KDot.PackGroupWide, Tile = &Q6_KDot.WideTile,
        },
    };

    private static readonly Dictionary<WeightType, PackedKernel> VnniTable = MakeTable<VnniIsa>();
    private static readonly Dictionary<WeightType, PackedKernel> Avx2Table = MakeTable<Avx2Isa>();

    private static Dictionary<WeightType, PackedKernel> MakeTable<TIsa>() where TIsa : IInt8Isa => new()
    {
        [WeightType.Q4_0] = Of32<Q4_0Dot, TIsa>(WeightType.Q4_0),
        [WeightType.Q4_1] = Of32<Q4_1Dot, TIsa>(WeightType.Q4_1),
        [WeightType.Q5_0] = Of32<Q5_0Dot, TIsa>(WeightType.Q5_0),
        [WeightType.Q5_1] = Of32<Q5_1Dot, TIsa>(WeightType.Q5_1),
        [WeightType.IQ4_NL] = Of32<IQ4_NLDot, TIsa>(WeightType.IQ4_NL),
        [WeightType.Q8_0] = new PackedKernel
        {
            Type = WeightType.Q8_0, BlockValues = 32, GroupBlockBytes = GroupRows * Q8_0Dot.BlockBytes,
            Pack = &Q8_0Dot.PackGroup<TIsa>, Tile = &Q8_0Dot.PackedTile<TIsa>,
        },
        [WeightType.Q2_K] = OfK2<Q2_KDot, TIsa>(WeightType.Q2_K),
        [WeightType.Q3_K] = OfK2<Q3_KDot, TIsa>(WeightType.Q3_K),
        [WeightType.IQ4_XS] = new PackedKernel
        {
            Type = WeightType.IQ4_XS, BlockValues = 256, GroupBlockBytes = IQ4_XSDot.PackedBlock,
            Pack = &IQ4_XSDot.PackGroup, Tile = &IQ4_XSDot.PackedTile<TIsa>,
        },
        [WeightType.Q4_K] = new PackedKernel
        {
            Type = WeightType.Q4_K, BlockValues = 256, GroupBlockBytes = Q4_KDot.PackedBlock,
            Pack = &Q4_KDot.PackGroup, Tile = &Q4_KDot.PackedTile<TIsa, NoHighBits>,
        },
        [WeightType.Q5_K] = new PackedKernel
        {
            Type = WeightType.Q5_K, BlockValues = 256, GroupBlockBytes = Q5_KDot.PackedBlock,
            Pack = &Q5_KDot.PackGroup, Tile = &Q4_KDot.PackedTile<TIsa, Q5HighBits>,
        },
        [WeightType.Q6_K] = new PackedKernel
        {
            Type = WeightType.Q6_K, BlockValues = 256, GroupBlockBytes = 1680,
            Pack = &Q6_KDot.PackGroup, Tile = &Q6_KDot.PackedTile<TIsa>,
        },
    };

    /// <summary>The 512-bit packed kernel of a 32-value block type (<see cref="Packed32Wide{T}"/>).</summary>
    private static PackedKernel Wide32<T>(WeightType type) where T : IPacked32 => new()
    {
        Type = type, BlockValues = 32, GroupBlockBytes = Packed32Wide<T>.Block, RowsPerGroup = Packed32Wide<T>.Rows,
        Pack = &Packed32Wide<T>.PackGroup, Tile = &Packed32Wide<T>.Tile,
    };

    /// <summary>The packed kernel of a 32-value block type (<see cref="Packed32{T}"/>).</summary>
    private static PackedKernel Of32<T, TIsa>(WeightType type) where T : IPacked32 where TIsa : IInt8Isa => new()
    {
        Type = type, BlockValues = 32, GroupBlockBytes = T.PackedBlock,
        Pack = &Packed32<T>.PackGroup, Tile = &Packed32<T>.Tile<TIsa>,
    };

    /// <summary>The packed kernel of a 2-bit-based K type (<see cref="PackedK2{T}"/>).</summary>
    private static PackedKernel OfK2<T, TIsa>(WeightType type) where T : IPackedK2 where TIsa : IInt8Isa => new()
    {
        Type = type, BlockValues = 256, GroupBlockBytes = T.PackedBlock,
        Pack = &PackedK2<T>.PackGroup, Tile = &PackedK2<T>.Tile<TIsa>,
    };

    /// <summary>Bytes of one packed group of <paramref name="cols"/> columns.</summary>
    public nint GroupBytes(int cols) => (nint)(cols / BlockValues) * GroupBlockBytes;

    /// <summary>
    /// Eight finite fp16 at p as floats, exactly: sign-extended and shifted left by 13, the magnitude sits
    /// in a float's exponent and mantissa 2^−112 too small (subnormals included) and the sign copies above
    /// it are masked off but the top one; one multiply by 2^112 rescales.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Halves(byte* p)
    {
        var v = Vector256.ShiftLeft(Avx2.ConvertToVector256Int32((short*)p), 13) & Vector256.Create(unchecked((int)0x8FFFE000));
        return v.AsSingle() * Vector256.Create(BitConverter.UInt32BitsToSingle(0x77800000u)); // 2^112
    }

    /// <summary>Sixteen finite fp16 at p as floats, exactly (as <see cref="Halves"/>; the 512-bit forms).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Halves16(byte* p)
    {
        var v = Vector512.ShiftLeft(Avx512F.ConvertToVector512Int32(Vector256.Load((short*)p)), 13) & Vector512.Create(unchecked((int)0x8FFFE000));
        return v.AsSingle() * Vector512.Create(BitConverter.UInt32BitsToSingle(0x77800000u)); // 2^112
    }

    /// <summary>
    /// The interleave every packed layout is made of: for k &lt; <paramref name="dwords"/>, the 32 bytes at
    /// dst + 32k take the k-th four bytes of each of 8 rows (src, src + rowBytes, …), row r in lane r.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Interleave(byte* src, nint rowBytes, int dwords, byte* dst)
    {
        if (rowBytes <= int.MaxValue / GroupRows)
        {
            var index = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * (int)rowBytes;
            for (int k = 0; k < dwords; k++)
                Avx2.GatherVector256((int*)(src + 4 * k), index, 1).Store((int*)(dst + 32 * k));
            return;
        }
        for (int r = 0; r < GroupRows; r++)
            for (int k = 0; k < dwords; k++)
                *(uint*)(dst + 32 * k + 4 * r) = *(uint*)(src + r * rowBytes + 4 * k);
    }

    /// <summary>Whether the fp16 <paramref name="h"/> is finite.</summary>
    public static bool Finite(ushort h) => (h & 0x7C00) != 0x7C00;

    /// <summary>Four bytes at p in every 32-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<sbyte> Broadcast4(sbyte* p) => Vector256.Create(*(int*)p).AsSByte();

    /// <summary>
    /// Drops this process's resident pages of [p, p + bytes) (whole pages inside the range) when the range
    /// lies in a shared file mapping, such as a memory-mapped model: the data stay in the file (and the page
    /// cache) and come back if anyone touches them. Any other memory is left alone. Linux only; a hint.
    /// </summary>
    public static void ReleasePages(byte* p, nint bytes)
    {
        if (!OperatingSystem.IsLinux()) return;
        nint page = Environment.SystemPageSize;
        nint start = ((nint)p + page - 1) & ~(page - 1);
        nint end = ((nint)p + bytes) & ~(page - 1);
        if (end <= start || !InSharedFileMapping((nint)p, (nint)p + bytes)) return;
        const int MadvDontneed = 4;
        try { _ = Madvise(start, (nuint)(end - start), MadvDontneed); }
        catch (DllNotFoundException) { }
        catch (EntryPointNotFoundException) { }
    }

    /// <summary>Whether [start, end) lies in one shared mapping of a file (from /proc/self/maps).</summary>
    private static bool InSharedFileMapping(nint start, nint end)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                // "lo-hi perms offset dev inode [path]"
                var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 6) continue;
                int dash = parts[0].IndexOf('-');
                nint lo = (nint)Convert.ToUInt64(parts[0][..dash], 16), hi = (nint)Convert.ToUInt64(parts[0][(dash + 1)..], 16);
                if (start < lo || start >= hi) continue;
                return end <= hi && parts[1].Length == 4 && parts[1][3] == 's' && parts[4] != "0" && parts[5].StartsWith('/');
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return false;
    }

    private const nint HugePage = 2 << 20;

    /// <summary>
    /// Native memory for packed weights, 64-byte aligned; from 2 MiB up, aligned to 2 MiB and marked for
    /// transparent huge pages where the kernel offers them (512 times fewer page faults while packing and
    /// fewer TLB misses while streaming the weights). Freed with <see cref="NativeMemory.AlignedFree"/>.
    /// </summary>
    public static byte* Allocate(nint bytes)
    {
        if (bytes < HugePage || !OperatingSystem.IsLinux()) return (byte*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
        var p = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, (nuint)HugePage);
        // Whole huge pages only: a partly used one at the end would be resident in full.
        const int MadvHugepage = 14;
        try { _ = Madvise((nint)p, (nuint)(bytes & ~(HugePage - 1)), MadvHugepage); }
        catch (DllNotFoundException) { }
        catch (EntryPointNotFoundException) { }
        return p;
    }

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(nint addr, nuint length, int advice);
}
