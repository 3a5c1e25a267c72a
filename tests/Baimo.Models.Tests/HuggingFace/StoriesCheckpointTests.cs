using Baimo.Formats.Gguf;
using Baimo.Models.HuggingFace;
using Baimo.Models.Quantization;
using Baimo.Testing;
using Xunit.Abstractions;

namespace Baimo.Models.Tests.HuggingFace;

/// <summary>
/// stories260K in Hugging Face form (config.json + F32 safetensors, q/k rows in the Hugging Face order):
/// loaded directly and after conversion to GGUF, it must give llama.cpp's logits for the reference sequence.
/// </summary>
public class StoriesCheckpointTests(ITestOutputHelper output)
{
    private const double NmseBudget = 1e-8; // the F32 budget of DecoderLogitsTests

    private static string CheckpointDir => Oracle.Path("models", "stories260K-hf");

    [Fact]
    public void TheDirectoryLoadsAndGivesTheReferenceLogits()
    {
        var r = Reference.Load("models", "stories260K.ref.json");
        using var model = ModelRegistry.LoadDecoder(CheckpointDir);
        Assert.Equal("llama", model.Config.Architecture);
        Assert.Equal(RopeStyle.NeoX, model.Config.Rope); // rows as stored: half-split pairs
        Assert.Equal(512, model.Config.VocabSize);
        Assert.Equal(5, model.Config.BlockCount);
        Assert.Equal(4, model.Config.HeadCountKv);
        Assert.Equal(1e-5f, model.Config.NormEpsilon, 1e-9f);
        CheckLogits(model, r, "directory");
    }

    [Fact]
    public void TextNeedsATokenizerButTokenIdsDoNot()
    {
        using var model = ModelRegistry.LoadDecoder(CheckpointDir);
        var e = Assert.Throws<ModelLoadException>(() => model.Tokenizer);
        Assert.Contains("tokenizer.json", e.Message);
    }

    [Fact]
    public void ConvertedToF32TheFileMatchesTheOriginalAndTheReference()
    {
        var r = Reference.Load("models", "stories260K.ref.json");
        var path = Path.Combine(Path.GetTempPath(), $"baimo-stories-hf-{Guid.NewGuid():N}.gguf");
        try
        {
            var result = CheckpointConverter.Convert(CheckpointDir, path, QuantizationTargets.All.First(t => t.Name == "F32"));
            Assert.True(result.OutputFileBytes > 1_000_000);
            using (var converted = GgufFile.Open(path))
            using (var original = GgufFile.Open(Oracle.Path("models", "stories260K.gguf")))
            {
                foreach (var key in new[] { "block_count", "context_length", "embedding_length", "feed_forward_length",
                             "attention.head_count", "attention.head_count_kv", "rope.dimension_count" })
                    Assert.Equal(original.Metadata.GetInt("llama." + key), converted.Metadata.GetInt("llama." + key));
                Assert.Equal("llama", converted.Metadata.GetString("general.architecture"));
                Assert.Equal(original.Metadata.GetFloat("llama.attention.layer_norm_rms_epsilon")!.Value,
                    converted.Metadata.GetFloat("llama.attention.layer_norm_rms_epsilon")!.Value, 1e-12);
                Assert.Equal(0, converted.Metadata.GetInt("general.file_type"));
                Assert.Equal(1, converted.Metadata.GetInt("tokenizer.ggml.bos_token_id"));
                Assert.Equal(2, converted.Metadata.GetInt("tokenizer.ggml.eos_token_id"));

                // Every tensor but the tied output is there, byte for byte (q/k back in the GGUF row order).
                Assert.Equal(original.Tensors.Count - 1, converted.Tensors.Count);
                foreach (var t in original.Tensors)
                {
                    var c = converted.FindTensor(t.Name);
                    if (t.Name == TensorNames.Output)
                    {
                        Assert.Null(c);
                        Assert.True(original.GetTensorData(t).SequenceEqual(converted.GetTensorData(converted.GetTensor(TensorNames.TokenEmbedding))),
                            "the original's output.weight is the embedding the converted file ties");
                        continue;
                    }
                    Assert.NotNull(c);
                    Assert.Equal(t.Type, c.Type);
                    Assert.Equal(t.Shape, c.Shape);
                    Assert.True(original.GetTensorData(t).SequenceEqual(converted.GetTensorData(c)), $"{t.Name} differs");
                }
            }
            using var model = ModelRegistry.LoadDecoder(path);
            Assert.Equal(RopeStyle.Normal, model.Config.Rope);
            CheckLogits(model, r, "converted F32");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private void CheckLogits(DecoderModel model, Reference r, string what)
    {
        var ids = r.Ids("sequence_ids");
        using var s = model.CreateSession(contextLength: 256, threads: 2);
        var logits = new float[ids.Length * r.Vocab];
        s.Evaluate(ids, logits, allLogits: true);
        double nmse = Metrics.Nmse(logits, r.Logits);
        double maxAbs = Metrics.MaxAbs(logits, r.Logits);
        output.WriteLine($"{what}: NMSE {nmse:E2}, max |Δ| {maxAbs:E2} over {ids.Length} positions");
        Assert.True(nmse <= NmseBudget, $"NMSE {nmse:E3} exceeds {NmseBudget:E0}");
        for (int p = 0; p < ids.Length; p++)
            Assert.Equal(Metrics.Argmax(r.Logits.AsSpan(p * r.Vocab, r.Vocab)), Metrics.Argmax(logits.AsSpan(p * r.Vocab, r.Vocab)));
    }
}
