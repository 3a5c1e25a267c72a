using System.Buffers;
using System.Diagnostics;
using Baimo.Formats;
using Baimo.Formats.Gguf;
using Baimo.Tensors;

namespace Baimo.Models.Quantization;

/// <summary>
/// Converts a GGUF model to another weight type the way llama-quantize does (same per-tensor types, same
/// bytes, same tensor order and metadata). Tensors are streamed: each is read from the memory-mapped input,
/// decoded to floats and re-encoded a chunk of rows at a time while the output is written, so memory use is
/// bounded by the chunk size, not the model. The output appears atomically (temporary file, then rename).
/// </summary>
public static class ModelQuantizer
{
    // Rows are converted in chunks of about this many values (16 MiB of floats): large enough for the
    // thread pool to split, small enough to keep memory flat on multi-gigabyte tensors.
    private const int ChunkValues = 1 << 22;

    private static readonly string[] SplitKeys = ["split.no", "split.count", "split.tensors.count"];

    /// <summary>The plan for an open file, without converting anything.</summary>
    public static QuantizationPlan Plan(ITensorFile file, QuantizationTarget target, bool pure) =>
        QuantizationPlan.Create(QuantizationModelInfo.FromMetadata(file.Metadata, file.Path), file.Tensors, target, pure);

    /// <summary>Quantizes <paramref name="inputPath"/> into <paramref name="outputPath"/>.</summary>
    /// <exception cref="ArgumentException">The output is the input file.</exception>
    /// <exception cref="FileNotFoundException">The input does not exist.</exception>
    /// <exception cref="GgufFormatException">The input is not a valid GGUF file.</exception>
    /// <exception cref="UnsupportedWeightTypeException">A tensor that must be converted is stored in a type Baimo cannot decode.</exception>
    public static QuantizeResult Quantize(string inputPath, string outputPath, QuantizeOptions options,
        Action<QuantizeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (SameFile(inputPath, outputPath))
            throw new ArgumentException($"the output would overwrite the input ({outputPath}); choose another file name", nameof(outputPath));
        using var file = GgufFile.Open(inputPath);
        return Quantize(file, outputPath, options, progress, cancellationToken);
    }

    /// <summary>
    /// Converts already opened weights (a GGUF file or a mapped checkpoint) into <paramref name="outputPath"/>:
    /// their metadata is copied and <c>general.file_type</c> set, as for a file.
    /// </summary>
    public static QuantizeResult Quantize(ITensorFile file, string outputPath, QuantizeOptions options,
        Action<QuantizeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var plan = Plan(file, options.Target, options.Pure);

        // Check every conversion before the output is created, so a bad input fails without leaving work behind.
        foreach (var p in plan.Tensors.Where(p => p.Convert))
        {
            WeightCodecs.Get(p.Source.Type, p.Source.Name);
            if (!WeightCodecs.Get(p.TargetType, p.Source.Name).CanQuantize)
                throw new NotSupportedException($"tensor '{p.Source.Name}': Baimo cannot encode {WeightLayout.Of(p.TargetType).Name}");
        }

        var writer = new GgufWriter { Version = 3 };
        foreach (var (k, v) in file.Metadata)
            if (!SplitKeys.Contains(k)) writer.Metadata.Set(k, v);
        // llama-quantize replaces these two keys, which moves them to the end of the metadata.
        writer.Metadata.Remove("general.quantization_version");
        writer.Metadata.Set("general.quantization_version", 2u);
        writer.Metadata.Remove("general.file_type");
        writer.Metadata.Set("general.file_type", (uint)options.Target.FileType);

        var state = new RunState(file, plan, options, progress, clock, cancellationToken);
        for (int i = 0; i < plan.Tensors.Count; i++)
        {
            var p = plan.Tensors[i];
            int index = i;
            writer.AddTensor(p.Source.Name, p.TargetType, p.Source.Shape, s => state.Write(index, s));
        }
        writer.Write(outputPath);

        var requantized = plan.Tensors.Where(p => p.Convert && IsBlockType(p.Source.Type)).Select(p => p.Source.Type).Distinct().ToList();
        return new QuantizeResult(file.FileSize, new FileInfo(outputPath).Length, clock.Elapsed, plan, requantized);
    }

    private static bool IsBlockType(WeightType t) => t is not (WeightType.F32 or WeightType.F16 or WeightType.BF16);

    private static bool SameFile(string a, string b)
    {
        static string Canonical(string p)
        {
            var full = Path.GetFullPath(p);
            try { return File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full; }
            catch (IOException) { return full; }
        }
        return Canonical(a) == Canonical(b);
    }

    /// <summary>The per-run counters the tensor callbacks share while the writer pulls data from them.</summary>
    private sealed unsafe class RunState(ITensorFile file, QuantizationPlan plan, QuantizeOptions options,
        Action<QuantizeProgress>? progress, Stopwatch clock, CancellationToken ct)
    {
        private readonly long _inputTotal = plan.Tensors.Sum(p => p.Source.ByteSize);
        private long _inputDone, _outputDone;

        public void Write(int index, Stream s)
        {
            ct.ThrowIfCancellationRequested();
            var p = plan.Tensors[index];
            if (p.Convert) Convert(index, p, s);
            else Copy(index, p, s);
            Report(index, p, done: true);
        }

        private void Copy(int index, TensorPlan p, Stream s)
        {
            byte* src = file.GetTensorPointer(p.Source);
            for (long done = 0; done < p.Source.ByteSize;)
            {
                int n = (int)Math.Min(ChunkValues * 4L, p.Source.ByteSize - done);
                s.Write(new ReadOnlySpan<byte>(src + done, n));
                done += n;
                _inputDone += n;
                _outputDone += n;
                Report(index, p, done: false);
            }
        }

        private void Convert(int index, TensorPlan p, Stream s)
        {
            var t = p.Source;
            if (t.ElementCount == 0) return;
            var from = WeightCodecs.Get(t.Type, t.Name);
            var to = WeightCodecs.Get(p.TargetType, t.Name);
            int columns = checked((int)t.RowLength);
            long rows = t.RowCount;
            long srcRowBytes = from.RowBytes(columns);
            int dstRowBytes = checked((int)to.RowBytes(columns));
            int chunkRows = (int)Math.Max(1, Math.Min(rows, ChunkValues / columns));
            int threads = options.Threads > 0 ? options.Threads : -1;

            var values = ArrayPool<float>.Shared.Rent(chunkRows * columns);
            var encoded = ArrayPool<byte>.Shared.Rent(chunkRows * dstRowBytes);
            try
            {
                nint basePtr = (nint)file.GetTensorPointer(t);
                for (long r0 = 0; r0 < rows; r0 += chunkRows)
                {
                    ct.ThrowIfCancellationRequested();
                    int n = (int)Math.Min(chunkRows, rows - r0);
                    Decode(from, basePtr + (nint)(r0 * srcRowBytes), srcRowBytes, n, columns, values, threads);
                    to.QuantizeRows(values.AsMemory(0, n * columns), columns, encoded.AsMemory(0, n * dstRowBytes), threads);
                    s.Write(encoded, 0, n * dstRowBytes);
                    _inputDone += n * srcRowBytes;
                    _outputDone += (long)n * dstRowBytes;
                    Report(index, p, done: false);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(values);
                ArrayPool<byte>.Shared.Return(encoded);
            }
        }

        // Decodes n rows starting at src into values, split across threads (rows are independent).
        private static void Decode(WeightCodec from, nint src, long rowBytes, int n, int columns, float[] values, int threads)
        {
            int perTask = Math.Max(1, 65536 / columns);
            var opts = new ParallelOptions { MaxDegreeOfParallelism = threads };
            Parallel.For(0, (n + perTask - 1) / perTask, opts, k =>
            {
                int a = k * perTask, m = Math.Min(perTask, n - a);
                var bytes = new ReadOnlySpan<byte>((byte*)(src + (nint)(a * rowBytes)), checked((int)(m * rowBytes)));
                from.Dequantize(bytes, values.AsSpan(a * columns, m * columns));
            });
        }

        private void Report(int index, TensorPlan p, bool done) =>
            progress?.Invoke(new QuantizeProgress(index, plan.Tensors.Count, p, done, _inputDone, _inputTotal, _outputDone, clock.Elapsed));
    }
}
