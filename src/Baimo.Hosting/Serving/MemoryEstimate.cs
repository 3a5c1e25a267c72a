using Baimo.Formats.Gguf;

namespace Baimo.Hosting.Serving;

/// <summary>
/// What a loaded model costs: its file (the weights are mapped whole) plus the float32 KV cache of every slot,
/// read from the GGUF header so the decision to unload others comes before the load.
/// </summary>
public static class MemoryEstimate
{
    public static long Of(string path, ServeOptions options)
    {
        using var file = GgufFile.Open(path);
        var m = file.Metadata;
        var arch = m.GetString("general.architecture") ?? "";
        long Get(string key, long fallback) => m.GetInt($"{arch}.{key}") ?? fallback;
        long layers = Get("block_count", 0);
        long embedding = Get("embedding_length", 0);
        long heads = Math.Max(1, Get("attention.head_count", 1));
        long kvHeads = Get("attention.head_count_kv", heads);
        long keyLength = Get("attention.key_length", embedding / heads);
        long valueLength = Get("attention.value_length", keyLength);
        long context = options.ContextLength > 0 ? options.ContextLength : Math.Min(Get("context_length", 4096), 4096);
        long kv = layers * context * kvHeads * (keyLength + valueLength) * sizeof(float) * options.Parallel;
        return file.FileSize + kv;
    }
}
