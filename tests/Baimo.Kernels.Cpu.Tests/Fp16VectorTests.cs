using System.Runtime.Intrinsics;
using Baimo.Tensors;

namespace Baimo.Kernels.Cpu.Tests;

public class Fp16VectorTests
{
    [Fact]
    public void VectorConversionIsExactForEveryHalf()
    {
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported) return;
        var h = new ushort[8];
        for (int v = 0; v < 65536; v += 8)
        {
            for (int k = 0; k < 8; k++) h[k] = (ushort)(v + k);
            var f = F16Dot.ToSingle(Vector128.Create(h));
            for (int k = 0; k < 8; k++)
            {
                float expected = Fp16.ToSingle(h[k]);
                if (float.IsNaN(expected)) Assert.True(float.IsNaN(f[k]), $"0x{h[k]:X4}");
                else Assert.Equal(BitConverter.SingleToUInt32Bits(expected), BitConverter.SingleToUInt32Bits(f[k]));
            }
        }
    }
}
