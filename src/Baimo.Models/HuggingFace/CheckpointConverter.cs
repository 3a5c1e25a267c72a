using Baimo.Models.Quantization;
using Baimo.Tensors;

namespace Baimo.Models.HuggingFace;

/// <summary>
/// Writes a Hugging Face checkpoint as a GGUF file llama.cpp-compatible readers accept: llama.cpp's tensor
/// names and metadata keys, query/key rows in its rotary order, 1-D tensors in F32, and the weights in the
/// requested type through the same per-tensor recipe as <c>baimo quantize</c>. Tensors are streamed from the
/// mapped shards; the output appears atomically.
/// </summary>
public static class CheckpointConverter
{
    /// <summary>Converts <paramref name="directory"/> into <paramref name="outputPath"/>.</summary>
    /// <param name="target">The file type; null keeps the checkpoint's own float type (F32, F16 or BF16).</param>
    /// <exception cref="ModelLoadException">The checkpoint is not a supported model.</exception>
    public static QuantizeResult Convert(string directory, string outputPath, QuantizationTarget? target = null, bool pure = false,
        int threads = 0, Action<QuantizeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var checkpoint = HuggingFaceCheckpoint.Open(directory, RotaryOrder.Gguf);
        target ??= StoredType(checkpoint);
        // A checkpoint without tokenizer files gives a file without a vocabulary; llama.cpp reads that
        // tokenizer model name as "no vocabulary" rather than failing on a missing key.
        if (File.Exists(checkpoint.TokenizerJsonPath)) HuggingFaceVocabulary.AddTo(checkpoint.Metadata, directory, checkpoint.Config.VocabSize);
        else checkpoint.Metadata.Set("tokenizer.ggml.model", "no_vocab");
        return ModelQuantizer.Quantize(checkpoint, outputPath, new QuantizeOptions(target, pure, threads), progress, cancellationToken);
    }

    /// <summary>The target <see cref="Convert"/> uses when none is given: the checkpoint's own float type.</summary>
    public static QuantizationTarget DefaultTarget(string directory)
    {
        using var checkpoint = HuggingFaceCheckpoint.Open(directory);
        return StoredType(checkpoint);
    }

    /// <summary>The float type most of the checkpoint's matrices are stored in, as a target.</summary>
    public static QuantizationTarget StoredType(HuggingFaceCheckpoint checkpoint)
    {
        var type = checkpoint.Tensors.Where(t => t.Shape.Length == 2)
            .GroupBy(t => t.Type).OrderByDescending(g => g.Sum(t => t.ElementCount)).Select(g => g.Key).FirstOrDefault(WeightType.F32);
        var name = WeightLayout.Of(type).Name;
        return QuantizationTargets.All.First(t => t.Name == name);
    }
}
