namespace Baimo.Models.Tests;

/// <summary>Faulting in and repacking the weights at load (as a server does) changes no logit.</summary>
public class PackWeightsTests
{
    [Theory]
    [InlineData("Q4_0")]
    [InlineData("Q6_K")]
    [InlineData("F16")]
    [InlineData("Q2_K")]
    [InlineData("Q3_K")]
    [InlineData("Q5_0")]
    [InlineData("Q5_1")]
    [InlineData("IQ4_XS")]
    [InlineData("F32")]
    public void PackingAtLoadGivesTheLogitsOfPackingOnFirstUse(string type)
    {
        var r = Reference.Load("models", "synth-llama", $"synth-llama-{type}.ref.json");
        var ids = r.Ids("input_ids");
        using var lazy = ModelRegistry.LoadDecoder(r.ModelPath);
        using var early = ModelRegistry.LoadDecoder(r.ModelPath);

        Assert.True(early.ReadWeights() > 0);
        long packed = early.PackWeights(threads: 2);
        if (type == "F32") Assert.Equal(0, packed); // no packed layout: the kernels read the file layout
        else if (System.Runtime.Intrinsics.X86.Avx2.IsSupported) Assert.True(packed > 0, $"{type}: nothing packed");

        var a = Logits(lazy, ids, r.Vocab);
        var b = Logits(early, ids, r.Vocab);
        Assert.Equal(a, b);
    }

    private static float[] Logits(DecoderModel m, int[] ids, int vocab)
    {
        using var s = m.CreateSession(contextLength: 64, threads: 2);
        var logits = new float[ids.Length * vocab];
        s.Evaluate(ids, logits, allLogits: true);
        return logits;
    }
}
