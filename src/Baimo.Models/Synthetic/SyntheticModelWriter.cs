using Baimo.Formats.Gguf;
using Baimo.Tensors;

namespace Baimo.Models.Synthetic;

/// <summary>
/// Writes a GGUF model of a named shape with deterministic random weights in one weight type — every
/// matrix in that type, norms in F32, like <c>llama-quantize --pure</c> — and a SentencePiece-style
/// vocabulary of the shape's size. To stay fast for billion-parameter shapes, a pool of 1 Mi random
/// normal values (σ = 0.02) is quantized once with the real quantizer and its blocks are tiled through
/// every tensor from a per-tensor offset; the numbers are meaningless, the shapes, types and bytes real.
/// </summary>
public static class SyntheticModelWriter
{
    /// <summary>Bumped when the generated content changes, so cached files are rebuilt.</summary>
    public const int Version = 1;
    private const int PoolValues = 1 << 20;

    /// <summary>The cached file for a shape and type, created when missing. Cache folder: BAIMO_CACHE or ~/.cache/baimo.</summary>
    public static string GetOrCreate(SyntheticShape shape, WeightType type, string? cacheDirectory = null, Action<string>? log = null) =>
        GetOrCreate(shape, WeightLayout.Of(type).Name, cacheDirectory, log);

    /// <summary>
    /// As above, by name: a weight type (Q4_0, Q8_0, F16 …: every matrix in that type) or one of
    /// llama-quantize's mixtures (Q4_K_M, Q5_K_M, Q3_K_M …: each matrix in the type its recipe chooses).
    /// </summary>
    public static string GetOrCreate(SyntheticShape shape, string typeName, string? cacheDirectory = null, Action<string>? log = null)
    {
        var chooser = Chooser(shape, typeName);
        var dir = cacheDirectory ?? Path.Combine(CacheRoot(), "synthetic");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{shape.Name}-{typeName.ToUpperInvariant()}.gguf");
        if (File.Exists(path) && IsCurrent(path)) return path;
        log?.Invoke($"creating {path} (random {typeName.ToUpperInvariant()} weights of {shape.Name}'s shape; cached for later runs)");
        Write(shape, chooser, path);
        return path;
    }

    /// <summary>Which type each matrix gets for a type or mixture name.</summary>
    private static Func<string, WeightType> Chooser(SyntheticShape s, string typeName)
    {
        if (WeightLayout.TryParse(typeName, out var single))
        {
            // As `baimo quantize --pure`: a row length the type cannot hold (qwen2.5-0.5b's 896 under a K type) takes
            // llama-quantize's fallback type for that tensor.
            var rowLength = Layout(s).Where(m => m.IsMatrix).ToDictionary(m => m.Name, m => m.Shape[0]);
            return name => Quantization.TensorTypeRecipe.Fit(single, rowLength[name], out _);
        }
        if (!Quantization.QuantizationTargets.TryParse(typeName, out var target))
            throw new ArgumentException($"'{typeName}' is neither a weight type nor a quantization mixture (e.g. Q4_0, Q8_0, Q4_K_M)");
        var info = new Quantization.QuantizationModelInfo(s.Architecture, s.Layers, s.Heads, s.KvHeads, 0);
        var plan = Quantization.QuantizationPlan.Create(info, Layout(s).Select(m =>
            new GgufTensorInfo(m.Name, WeightType.F32, m.Shape, 0, 4 * m.Shape.Aggregate(1L, (a, b) => a * b))), target, pure: false);
        var types = plan.Tensors.ToDictionary(t => t.Source.Name, t => t.TargetType);
        return name => types[name];
    }

    /// <summary>Every tensor of a shape: name and GGUF shape (innermost first).</summary>
    private static IEnumerable<(string Name, long[] Shape, bool IsMatrix)> Layout(SyntheticShape s)
    {
        int qd = s.Heads * s.HeadDim;
        yield return (TensorNames.TokenEmbedding, [s.Embedding, s.Vocab], true);
        for (int l = 0; l < s.Layers; l++)
        {
            yield return (TensorNames.AttnNorm(l), [s.Embedding], false);
            yield return (TensorNames.AttnQ(l), [s.Embedding, qd], true);
            yield return (TensorNames.AttnK(l), [s.Embedding, s.KvDim], true);
            yield return (TensorNames.AttnV(l), [s.Embedding, s.KvDim], true);
            if (s.Architecture == "qwen2")
            {
                yield return (TensorNames.AttnQBias(l), [qd], false);
                yield return (TensorNames.AttnKBias(l), [s.KvDim], false);
                yield return (TensorNames.AttnVBias(l), [s.KvDim], false);
            }
            yield return (TensorNames.AttnOutput(l), [qd, s.Embedding], true);
            yield return (TensorNames.FfnNorm(l), [s.Embedding], false);
            yield return (TensorNames.FfnGate(l), [s.Embedding, s.FeedForward], true);
            yield return (TensorNames.FfnUp(l), [s.Embedding, s.FeedForward], true);
            yield return (TensorNames.FfnDown(l), [s.FeedForward, s.Embedding], true);
        }
        yield return (TensorNames.OutputNorm, [s.Embedding], false);
        if (!s.TiedOutput) yield return (TensorNames.Output, [s.Embedding, s.Vocab], true);
    }

    public static string CacheRoot()
    {
        var env = Environment.GetEnvironmentVariable("BAIMO_CACHE");
        if (!string.IsNullOrEmpty(env)) return env;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(string.IsNullOrEmpty(home) ? Path.GetTempPath() : home, ".cache", "baimo");
    }

    private static bool IsCurrent(string path)
    {
        try
        {
            using var f = GgufFile.Open(path);
            return f.Metadata.GetInt("baimo.synthetic.version") == Version;
        }
        catch (Exception e) when (e is GgufFormatException or IOException)
        {
            return false;
        }
    }

    public static void Write(SyntheticShape s, WeightType type, string path) => Write(s, _ => type, path);

    private static void Write(SyntheticShape s, Func<string, WeightType> typeOf, string path)
    {
        var layout = Layout(s).ToList();
        foreach (var (name, shape, isMatrix) in layout)
        {
            if (!isMatrix) continue;
            var codec = WeightCodecs.Get(typeOf(name), name);
            if (!codec.CanQuantize) throw new ArgumentException($"Baimo cannot write {codec.Name} weights");
            if (shape[0] % codec.Layout.BlockSize != 0)
                throw new ArgumentException($"{s.Name} cannot be stored as {codec.Name}: row length {shape[0]} of {name} is not a multiple of its block size {codec.Layout.BlockSize}");
        }
        var w = new GgufWriter();
        var a = s.Architecture;
        var md = w.Metadata;
        md.Set("general.architecture", a);
        md.Set("general.name", $"synthetic {s.Name}");
        md.Set("baimo.synthetic.version", Version);
        md.Set($"{a}.context_length", (uint)s.Context);
        md.Set($"{a}.embedding_length", (uint)s.Embedding);
        md.Set($"{a}.feed_forward_length", (uint)s.FeedForward);
        md.Set($"{a}.block_count", (uint)s.Layers);
        md.Set($"{a}.attention.head_count", (uint)s.Heads);
        md.Set($"{a}.attention.head_count_kv", (uint)s.KvHeads);
        md.Set($"{a}.rope.dimension_count", (uint)s.HeadDim);
        md.Set($"{a}.rope.freq_base", s.RopeBase);
        md.Set($"{a}.attention.layer_norm_rms_epsilon", 1e-5f);
        AddVocabulary(md, s.Vocab);

        var rng = new Random(StableSeed(s.Name));
        var values = new float[PoolValues];
        for (int i = 0; i < values.Length; i++) values[i] = Normal(rng) * 0.02f;
        var pools = new Dictionary<WeightType, byte[]>();
        byte[] Pool(WeightType t)
        {
            if (pools.TryGetValue(t, out var p)) return p;
            var codec = WeightCodecs.Get(t, "synthetic");
            p = new byte[codec.RowBytes(PoolValues)];
            codec.QuantizeRows(values, 256, p);
            return pools[t] = p;
        }

        int tensorIndex = 0;
        foreach (var (name, shape, isMatrix) in layout)
        {
            if (isMatrix)
            {
                var type = typeOf(name);
                var pool = Pool(type);
                int blockBytes = WeightLayout.Of(type).BytesPerBlock;
                long bytes = WeightLayout.Of(type).ByteCount(shape[0] * shape[1]);
                long start = (long)(tensorIndex++ * 7919 % (pool.Length / blockBytes)) * blockBytes;
                w.AddTensor(name, type, shape, stream =>
                {
                    long written = 0, at = start;
                    while (written < bytes)
                    {
                        int n = (int)Math.Min(bytes - written, pool.Length - at);
                        stream.Write(pool, (int)at, n);
                        written += n;
                        at = (at + n) % pool.Length;
                    }
                });
            }
            else
            {
                // Norm weights near 1, biases near 0.
                bool norm = name.EndsWith("norm.weight", StringComparison.Ordinal);
                var v = new float[shape[0]];
                for (int i = 0; i < v.Length; i++) v[i] = (norm ? 1f : 0f) + (norm ? 0.1f : 0.02f) * Normal(rng);
                w.AddTensor(name, WeightType.F32, shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan()).ToArray());
            }
        }
        w.Write(path);
    }

    /// <summary>A SentencePiece-style vocabulary: unk, BOS, EOS, 256 byte tokens, then distinct made-up pieces.</summary>
    private static void AddVocabulary(GgufMetadata md, int size)
    {
        var tokens = new string[size];
        var scores = new float[size];
        var types = new int[size];
        tokens[0] = "<unk>"; types[0] = 2;
        tokens[1] = "<s>"; types[1] = 3;
        tokens[2] = "</s>"; types[2] = 3;
        for (int b = 0; b < 256; b++) { tokens[3 + b] = $"<0x{b:X2}>"; types[3 + b] = 6; }
        const string letters = "etaoinshrdlucmfwypvbgkjqxz";
        for (int i = 259; i < size; i++)
        {
            // Base-26 spelling of the index keeps pieces distinct; the leading ▁ marks a word start.
            var sb = new System.Text.StringBuilder("▁");
            for (int v = i - 259; ; v /= 26)
            {
                sb.Append(letters[v % 26]);
                if (v < 26) break;
            }
            tokens[i] = sb.ToString();
            scores[i] = -i;
            types[i] = 1;
        }
        md.Set("tokenizer.ggml.model", "llama");
        md.Set("tokenizer.ggml.tokens", tokens);
        md.Set("tokenizer.ggml.scores", scores);
        md.Set("tokenizer.ggml.token_type", types);
        md.Set("tokenizer.ggml.bos_token_id", 1u);
        md.Set("tokenizer.ggml.eos_token_id", 2u);
        md.Set("tokenizer.ggml.unknown_token_id", 0u);
    }

    /// <summary>FNV-1a of the name: string.GetHashCode is randomized per process, and the weights must not be.</summary>
    private static int StableSeed(string name)
    {
        uint h = 2166136261;
        foreach (char c in name) h = (h ^ c) * 16777619;
        return (int)(h & 0x7FFFFFFF);
    }

    private static float Normal(Random r)
    {
        double u1 = 1.0 - r.NextDouble(), u2 = r.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }
}
