using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Baimo.Kernels.Cpu;

/// <summary>
/// Which instruction sets the kernels use on this machine, in one line for the benchmark and the logs: figures from
/// two machines only compare when their kernels do.
/// </summary>
public static class CpuFeatures
{
    public static string Describe()
    {
        if (AdvSimd.Arm64.IsSupported)
            return V128.HasSdot
                ? "ARM64: 8-bit products AdvSimd sdot (dot-product extension); float products AdvSimd (128-bit rows, file layout)"
                : "ARM64: 8-bit products AdvSimd smull + sadalp (no dot-product extension); float products AdvSimd (128-bit rows, file layout)";
        if (!Avx2.IsSupported || !Fma.IsSupported)
            return Vector128.IsHardwareAccelerated ? "128-bit kernels (no AVX2/FMA): pmaddwd products, rows in the file layout" : "scalar kernels";
        string int8 = AvxVnni.IsSupported ? "AVX-VNNI (vpdpbusd)" : "AVX2 (vpmaddubsw + vpmaddwd; no AVX-VNNI)";
        string floats = Avx512F.IsSupported ? "AVX-512 (F16/BF16 packed rows)" : "AVX2";
        return $"8-bit products {int8}; float products {floats}";
    }
}
