namespace Baimo.Models.Tests;

/// <summary>
/// A decode step allocates nothing on the managed heap once the session is warm, also while the context grows past
/// powers of two (the attention scores of 16, 32 positions…): the buffers of a step are made with the session or
/// once per thread. Measured on the calling thread, which runs every step's serial work and its share of each
/// product and of attention.
/// </summary>
public class DecodeAllocationTests
{
    [Theory]
    [InlineData("models", "stories260K.gguf")]
    [InlineData("models/synth-llama", "synth-llama-Q4_0.gguf")]
    [InlineData("models/synth-llama", "synth-llama-Q4_K.gguf")]
    [InlineData("models/synth-llama", "synth-llama-F16.gguf")]
    public void DecodeStepsAllocateNothing(string dir, string file)
    {
        using var model = ModelRegistry.LoadDecoder(Baimo.Testing.Oracle.Path([.. dir.Split('/'), file]));
        using var s = model.CreateSession(contextLength: 128, threads: 2);
        var logits = new float[s.VocabSize];
        int[] token = [1];
        s.Evaluate([1, 2, 3, 4, 5, 6, 7, 8], logits); // the prompt, and the first product of each matrix packs it
        for (int i = 0; i < 8; i++) Step(s, token, logits); // warm: the JIT's tiers and lazy first uses settle
        const int steps = 32;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < steps; i++) Step(s, token, logits);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(bytes == 0, $"{file}: {bytes} bytes allocated in {steps} decode steps (positions 16..{16 + steps})");
    }

    private static void Step(DecoderSession s, int[] token, float[] logits)
    {
        token[0] = (token[0] * 7 + 3) % s.VocabSize;
        s.Evaluate(token, logits);
    }
}
