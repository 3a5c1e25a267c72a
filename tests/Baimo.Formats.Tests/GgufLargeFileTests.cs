using Baimo.Formats.Gguf;
using Baimo.Tensors;

namespace Baimo.Formats.Tests;

public class GgufLargeFileTests
{
    /// <summary>
    /// A 5 GiB file (sparse: the big tensor is a hole) whose last tensor starts past 4 GiB: offsets are
    /// 64-bit end to end and the mapping reaches the end of the file.
    /// </summary>
    [Fact]
    public void TensorsBeyondFourGiBAreReadable()
    {
        var path = Path.Combine(Path.GetTempPath(), $"baimo-big-{Guid.NewGuid():N}.gguf");
        const long bigRows = 5L * 1024 * 1024; // [5 Mi rows][256] F32 = 5 GiB
        try
        {
            var w = new GgufWriter();
            w.Metadata.Set("general.architecture", "test");
            w.AddTensor("big", WeightType.F32, [256, bigRows], s => s.Seek(256 * 4 * bigRows, SeekOrigin.Current));
            var tail = Enumerable.Range(0, 64).Select(i => (byte)(i * 3)).ToArray();
            w.AddTensor("tail", WeightType.I8, [64], tail);
            w.Write(path);

            using var f = GgufFile.Open(path);
            Assert.True(f.FileSize > 5L << 30);
            var t = f.GetTensor("tail");
            Assert.True(f.DataOffset + t.Offset > 4L << 30);
            Assert.Equal(tail, f.GetTensorData(t).ToArray());
            Assert.Equal(256 * bigRows, f.GetTensor("big").ElementCount);
            Assert.Throws<NotSupportedException>(() => f.GetTensorData(f.GetTensor("big")).Length);
            unsafe
            {
                // The last byte of the 5 GiB tensor is reachable through the pointer API (a hole reads as zero).
                Assert.Equal(0, f.GetTensorPointer(f.GetTensor("big"))[256 * 4 * bigRows - 1]);
            }
        }
        finally { File.Delete(path); }
    }
}
