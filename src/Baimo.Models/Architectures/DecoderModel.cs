using Baimo.Formats;
using Baimo.Formats.Gguf;
using Baimo.Kernels.Cpu;
using Baimo.Tokenizers;
using static Baimo.Models.TensorNames;

namespace Baimo.Models;

/// <summary>The decoder families: Llama (and Mistral, TinyLlama) and Qwen2, which adds q/k/v biases and NeoX rotary.</summary>
public enum DecoderFlavor { Llama, Qwen2 }

/// <summary>
/// A decoder-only transformer (pre-norm RMSNorm blocks, rotary positions, grouped-query attention,
/// SwiGLU feed-forward; tied or separate output). Sessions hold the state; the model is immutable and
/// may serve several sessions.
/// </summary>
public sealed class DecoderModel : TransformerModel
{
    internal sealed class Layer
    {
        public required float[] AttnNorm;         // [E]
        public required WeightMatrix Q, K, V, O;  // [H·D][E], [KvDim][E], [KvDim][E], [E][H·D]
        public float[]? QBias, KBias, VBias;      // [H·D], [KvDim], [KvDim]
        public required float[] FfnNorm;          // [E]
        public required WeightMatrix Gate, Up, Down; // [F][E], [F][E], [E][F]
    }

    internal readonly WeightMatrix Embedding;  // [vocab][E]
    internal readonly WeightMatrix Output;     // [vocab][E] (the embedding itself when tied)
    internal readonly float[] OutputNorm;      // [E]
    internal readonly Layer[] Layers;

    public DecoderFlavor Flavor { get; }

    internal DecoderModel(ITensorFile file, ModelConfig c, Lazy<Tokenizer> tokenizer, DecoderFlavor flavor) : base(file, c, tokenizer)
    {
        Flavor = flavor;
        var w = new WeightSet(file);
        long e = c.EmbeddingLength, qd = (long)c.HeadCount * c.HeadDim, kv = c.KvDim, f = c.FeedForwardLength, n = c.VocabSize;
        w.Require(TokenEmbedding, e, n);
        w.Require(TensorNames.OutputNorm, e);
        bool separateOutput = w.Optional(TensorNames.Output, e, n);
        for (int l = 0; l < c.BlockCount; l++)
        {
            w.Require(AttnNorm(l), e);
            w.Require(AttnQ(l), e, qd);
            w.Require(AttnK(l), e, kv);
            w.Require(AttnV(l), e, kv);
            w.Require(AttnOutput(l), qd, e);
            w.Require(FfnNorm(l), e);
            w.Require(FfnGate(l), e, f);
            w.Require(FfnUp(l), e, f);
            w.Require(FfnDown(l), f, e);
            if (flavor == DecoderFlavor.Qwen2)
            {
                w.Require(AttnQBias(l), qd);
                w.Require(AttnKBias(l), kv);
                w.Require(AttnVBias(l), kv);
            }
            else
            {
                w.Optional(AttnQBias(l), qd);
                w.Optional(AttnKBias(l), kv);
                w.Optional(AttnVBias(l), kv);
            }
        }
        w.ThrowIfMissing(c.Architecture);

        Embedding = w.Matrix(TokenEmbedding);
        Output = separateOutput ? w.Matrix(TensorNames.Output) : Embedding;
        OutputNorm = w.Vector(TensorNames.OutputNorm);
        Layers = new Layer[c.BlockCount];
        for (int l = 0; l < c.BlockCount; l++)
        {
            Layers[l] = new Layer
            {
                AttnNorm = w.Vector(AttnNorm(l)),
                Q = w.Matrix(AttnQ(l)),
                K = w.Matrix(AttnK(l)),
                V = w.Matrix(AttnV(l)),
                O = w.Matrix(AttnOutput(l)),
                QBias = w.OptionalVector(AttnQBias(l)),
                KBias = w.OptionalVector(AttnKBias(l)),
                VBias = w.OptionalVector(AttnVBias(l)),
                FfnNorm = w.Vector(FfnNorm(l)),
                Gate = w.Matrix(FfnGate(l)),
                Up = w.Matrix(FfnUp(l)),
                Down = w.Matrix(FfnDown(l)),
            };
        }
    }

    /// <summary>The matrices products run on: every layer's seven and the output (the embedding only when tied).</summary>
    private IEnumerable<WeightMatrix> ProductMatrices()
    {
        foreach (var l in Layers)
        {
            yield return l.Q; yield return l.K; yield return l.V; yield return l.O;
            yield return l.Gate; yield return l.Up; yield return l.Down;
        }
        yield return Output;
    }

    /// <summary>
    /// Faults in the pages of every matrix products run on (see <see cref="WeightMatrix.ReadPages"/>); the
    /// embedding is left alone, since only its looked-up rows are ever read. Returns the bytes.
    /// </summary>
    public long ReadWeights() => ProductMatrices().Sum(m => m.ReadPages());

    /// <summary>
    /// Repacks every matrix that has a packed layout on this CPU now, instead of on its first product, so that
    /// the first request does not pay for it; returns the bytes packed. Reads the weights (page faults on a
    /// cold mapping included). <paramref name="threads"/> 0 means one per core.
    /// </summary>
    public long PackWeights(int threads = 0)
    {
        using var pool = new CpuThreadPool(threads > 0 ? threads : CpuTopology.DefaultThreads);
        long bytes = 0;
        foreach (var m in ProductMatrices()) bytes += m.Prepare(pool);
        return bytes;
    }

    /// <summary>
    /// A new session with its own KV cache. <paramref name="contextLength"/> 0 means the model's
    /// training context (capped at 4096 to keep the cache modest unless asked for more);
    /// <paramref name="threads"/> 0 means one per core.
    /// </summary>
    public DecoderSession CreateSession(int contextLength = 0, int threads = 0, int maxBatch = 512) =>
        new(this, contextLength > 0 ? contextLength : Math.Min(Config.ContextLength, 4096),
            threads > 0 ? threads : CpuTopology.DefaultThreads, maxBatch);
}
