using Baimo.Tensors;

namespace Baimo.Models.Quantization;

/// <summary>Options of <see cref="ModelQuantizer.Quantize"/>.</summary>
/// <param name="Target">The requested file type.</param>
/// <param name="Pure">One type for every quantizable tensor, no recipe (llama-quantize <c>--pure</c>).</param>
/// <param name="Threads">Threads that quantize rows; 0 = one per core.</param>
public sealed record QuantizeOptions(QuantizationTarget Target, bool Pure = false, int Threads = 0);

/// <summary>Progress of a running quantization, reported after each chunk of rows and when a tensor is done.</summary>
/// <param name="Index">0-based index of the current tensor in output order.</param>
/// <param name="Count">Number of tensors.</param>
/// <param name="Tensor">The current tensor's plan.</param>
/// <param name="TensorDone">True on the last report of a tensor.</param>
/// <param name="InputBytesDone">Input bytes processed so far, all tensors.</param>
/// <param name="InputBytesTotal">Input bytes of all tensors.</param>
/// <param name="OutputBytesDone">Tensor bytes written so far.</param>
/// <param name="Elapsed">Time since the start.</param>
public sealed record QuantizeProgress(int Index, int Count, TensorPlan Tensor, bool TensorDone,
    long InputBytesDone, long InputBytesTotal, long OutputBytesDone, TimeSpan Elapsed);

/// <summary>The outcome of <see cref="ModelQuantizer.Quantize"/>.</summary>
/// <param name="InputFileBytes">Size of the input file.</param>
/// <param name="OutputFileBytes">Size of the written file.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="Plan">The per-tensor decisions.</param>
/// <param name="RequantizedFrom">Block-quantized input types that were decoded and re-encoded (quality was lost twice).</param>
public sealed record QuantizeResult(long InputFileBytes, long OutputFileBytes, TimeSpan Elapsed, QuantizationPlan Plan,
    IReadOnlyList<WeightType> RequantizedFrom);
