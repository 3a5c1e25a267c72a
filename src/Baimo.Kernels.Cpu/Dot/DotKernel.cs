using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using Baimo.Tensors;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// One weight row against a tile of tokens: writes y[i·yStride] = W_row · x[t0 + i] for i &lt; count
/// (count ≤ <see cref="DotKernel.MaxTile"/>). w: the row's blocks [Cols / BlockSize][BlockBytes].
/// </summary>
internal unsafe delegate void RowTile(byte* w, Activations* a, int t0, int count, float* y, nint yStride);

/// <summary>A scalar dot product of one weight row with one token, written straight from the block format.</summary>
internal unsafe interface IRowDot
{
    static abstract float Dot(byte* w, Activations* a, int t);
}

/// <summary>The matrix-product kernels of one weight type: the scalar truth and the fastest path this CPU has.</summary>
internal sealed unsafe class DotKernel
{
    /// <summary>Most tokens one kernel call handles (the weight row is read once for all of them).</summary>
    public const int MaxTile = 4;

    public required WeightType Type { get; init; }
    public required WeightType ActivationType { get; init; }
    public required delegate*<byte*, Activations*, int, int, float*, nint, void> Scalar { get; init; }
    public required delegate*<byte*, Activations*, int, int, float*, nint, void> Fast { get; init; }

    /// <summary>What <see cref="Fast"/> runs on ("AVX-512", "AVX-VNNI", "AVX2", "AdvSimd+DotProd", "AdvSimd", "Vector128", "scalar").</summary>
    public required string FastPath { get; init; }

    /// <summary>The scalar twin of every kernel: one dot product per token.</summary>
    public static void ScalarTile<T>(byte* w, Activations* a, int t0, int count, float* y, nint yStride) where T : IRowDot
    {
        for (int i = 0; i < count; i++) y[i * yStride] = T.Dot(w, a, t0 + i);
    }

    private static readonly Dictionary<WeightType, DotKernel> Table = Build();

    /// <summary>The kernel for <paramref name="type"/>, or null when there is none.</summary>
    public static DotKernel? For(WeightType type) => Table.GetValueOrDefault(type);

    /// <summary>Every type with a kernel.</summary>
    public static IEnumerable<WeightType> Types => Table.Keys;

    private static Dictionary<WeightType, DotKernel> Build()
    {
        var d = new Dictionary<WeightType, DotKernel>();
        void Add(DotKernel k) => d[k.Type] = k;
        Add(Make<F32Dot>(WeightType.F32, WeightType.F32, null, &F32Dot.Tile, &FloatRow128.Tile<F32Dot>, null));
        Add(Make<F16Dot>(WeightType.F16, WeightType.F16, null, &F16Dot.Tile, &FloatRow128.Tile<F16Dot>, null, &F16Dot.TileWide));
        Add(Make<BF16Dot>(WeightType.BF16, WeightType.BF16, null, &BF16Dot.Tile, &FloatRow128.Tile<BF16Dot>, null));
        Add(Make<Q4_0Dot>(WeightType.Q4_0, WeightType.Q8_0, &Q4_0Dot.Tile<VnniIsa>, &Q4_0Dot.Tile<Avx2Isa>, &Block32x128.Tile<Q4_0Dot, PortableSdot>, &Block32x128.Tile<Q4_0Dot, DpSdot>));
        Add(Make<Q4_1Dot>(WeightType.Q4_1, WeightType.Q8_1, &Q4_1Dot.Tile<VnniIsa>, &Q4_1Dot.Tile<Avx2Isa>, &Block32x128.Tile<Q4_1Dot, PortableSdot>, &Block32x128.Tile<Q4_1Dot, DpSdot>));
        Add(Make<Q5_0Dot>(WeightType.Q5_0, WeightType.Q8_0, &Q5_0Dot.Tile<VnniIsa>, &Q5_0Dot.Tile<Avx2Isa>, &Block32x128.Tile<Q5_0Dot, PortableSdot>, &Block32x128.Tile<Q5_0Dot, DpSdot>));
        Add(Make<Q5_1Dot>(WeightType.Q5_1, WeightType.Q8_1, &Q5_1Dot.Tile<VnniIsa>, &Q5_1Dot.Tile<Avx2Isa>, &Block32x128.Tile<Q5_1Dot, PortableSdot>, &Block32x128.Tile<Q5_1Dot, DpSdot>));
        Add(Make<Q8_0Dot>(WeightType.Q8_0, WeightType.Q8_0, &Q8_0Dot.Tile<VnniIsa>, &Q8_0Dot.Tile<Avx2Isa>, &Block32x128.Tile<Q8_0Dot, PortableSdot>, &Block32x128.Tile<Q8_0Dot, DpSdot>));
        Add(Make<IQ4_NLDot>(WeightType.IQ4_NL, WeightType.Q8_0, &IQ4_NLDot.Tile<VnniIsa>, &IQ4_NLDot.Tile<Avx2Isa>, &Block32x128.Tile<IQ4_NLDot, PortableSdot>, &Block32x128.Tile<IQ4_NLDot, DpSdot>));
        Add(Make<Q2_KDot>(WeightType.Q2_K, WeightType.Q8_K, &Q2_KDot.Tile<VnniIsa>, &Q2_KDot.Tile<Avx2Isa>, &Super256x128.Tile<Q2_KDot, PortableSdot>, &Super256x128.Tile<Q2_KDot, DpSdot>));
        Add(Make<Q3_KDot>(WeightType.Q3_K, WeightType.Q8_K, &Q3_KDot.Tile<VnniIsa>, &Q3_KDot.Tile<Avx2Isa>, &Super256x128.Tile<Q3_KDot, PortableSdot>, &Super256x128.Tile<Q3_KDot, DpSdot>));
        Add(Make<Q4_KDot>(WeightType.Q4_K, WeightType.Q8_K, &Q4_KDot.Tile<VnniIsa>, &Q4_KDot.Tile<Avx2Isa>, &Super256x128.Tile<Q4_KDot, PortableSdot>, &Super256x128.Tile<Q4_KDot, DpSdot>));
        Add(Make<Q5_KDot>(WeightType.Q5_K, WeightType.Q8_K, &Q5_KDot.Tile<VnniIsa>, &Q5_KDot.Tile<Avx2Isa>, &Super256x128.Tile<Q5_KDot, PortableSdot>, &Super256x128.Tile<Q5_KDot, DpSdot>));
        Add(Make<Q6_KDot>(WeightType.Q6_K, WeightType.Q8_K, &Q6_KDot.Tile<VnniIsa>, &Q6_KDot.Tile<Avx2Isa>, &Super256x128.Tile<Q6_KDot, PortableSdot>, &Super256x128.Tile<Q6_KDot, DpSdot>));
        Add(Make<IQ4_XSDot>(WeightType.IQ4_XS, WeightType.Q8_K, &IQ4_XSDot.Tile<VnniIsa>, &IQ4_XSDot.Tile<Avx2Isa>, &Super256x128.Tile<IQ4_XSDot, PortableSdot>, &Super256x128.Tile<IQ4_XSDot, DpSdot>));
        return d;
    }

    /// <summary>
    /// Every vector instance of the kernel this CPU can run, by instruction set (the twin tests run them
    /// all against <see cref="Scalar"/>); empty when only the scalar kernel exists or runs here.
    /// </summary>
    public IReadOnlyList<(string Isa, nint Tile)> Variants { get; private init; } = [];

    /// <summary>
    /// A kernel from its scalar twin and its vector instances: AVX-512, AVX-VNNI and AVX2 (x86), 128-bit with ARM64's
    /// <c>sdot</c>, and 128-bit with a widening multiply (any CPU with 128-bit vectors: ARM64 without the dot-product
    /// extension, x86 without AVX2); null where a type has no such instance. The fastest the CPU supports becomes
    /// <see cref="Fast"/>; on x86 with AVX2 the 128-bit form stays a variant, which the twin tests run.
    /// </summary>
    private static DotKernel Make<T>(WeightType type, WeightType act,
        delegate*<byte*, Activations*, int, int, float*, nint, void> vnni,
        delegate*<byte*, Activations*, int, int, float*, nint, void> avx2,
        delegate*<byte*, Activations*, int, int, float*, nint, void> v128,
        delegate*<byte*, Activations*, int, int, float*, nint, void> sdot,
        delegate*<byte*, Activations*, int, int, float*, nint, void> avx512 = null) where T : IRowDot
    {
        delegate*<byte*, Activations*, int, int, float*, nint, void> scalar = &ScalarTile<T>;
        var variants = new List<(string, nint)>();
        if (avx512 != null && Avx512F.IsSupported && Avx2.IsSupported && Fma.IsSupported) variants.Add(("AVX-512", (nint)avx512));
        if (vnni != null && AvxVnni.IsSupported && Avx2.IsSupported && Fma.IsSupported) variants.Add(("AVX-VNNI", (nint)vnni));
        if (avx2 != null && Avx2.IsSupported && Fma.IsSupported) variants.Add(("AVX2", (nint)avx2));
        if (sdot != null && V128.HasSdot) variants.Add(("AdvSimd+DotProd", (nint)sdot));
        if (v128 != null && Vector128.IsHardwareAccelerated) variants.Add((AdvSimd.IsSupported ? "AdvSimd" : "Vector128", (nint)v128));
        var fast = variants.Count > 0 ? (delegate*<byte*, Activations*, int, int, float*, nint, void>)variants[0].Item2 : scalar;
        return new DotKernel
        {
            Type = type, ActivationType = act, Scalar = scalar, Fast = fast,
            FastPath = variants.Count > 0 ? variants[0].Item1 : "scalar", Variants = variants,
        };
    }
}

/// <summary>Little helpers the block decoders share.</summary>
internal static unsafe class Blocks
{
    /// <summary>The fp16 at <paramref name="p"/> (little-endian) as a float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Half(byte* p) => Fp16.ToSingle(*(ushort*)p);

    /// <summary>ggml's kvalues_iq4nl: the 16 levels of IQ4_NL and IQ4_XS codes.</summary>
    public static ReadOnlySpan<sbyte> IQ4Levels => [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113];

    /// <summary>The 6-bit scale and min of sub-block j (0..7) of a Q4_K/Q5_K super-block's 12 packed bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ScaleMinK4(int j, byte* q, out int scale, out int min)
    {
        if (j < 4)
        {
            scale = q[j] & 63;
            min = q[j + 4] & 63;
        }
        else
        {
            scale = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
            min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
        }
    }
}
