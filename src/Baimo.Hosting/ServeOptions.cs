namespace Baimo.Hosting;

/// <summary>How <c>baimo serve</c> runs: the model(s), where to listen, capacity, limits and the API key.</summary>
public sealed record ServeOptions
{
    /// <summary>The GGUF decoder model to serve; empty when the server serves the model store by name.</summary>
    public string ModelPath { get; init; } = "";
    /// <summary>Optional BERT-style GGUF model for the embeddings routes.</summary>
    public string? EmbeddingModelPath { get; init; }
    /// <summary>Address to listen on: an IP address or <c>localhost</c>. Loopback by default.</summary>
    public string Host { get; init; } = "127.0.0.1";
    /// <summary>TCP port; 0 picks a free one.</summary>
    public int Port { get; init; } = 8080;
    /// <summary>Slots: requests generated together in one batch.</summary>
    public int Parallel { get; init; } = 4;
    /// <summary>Context per slot in tokens; 0 = the model's, at most 4096.</summary>
    public int ContextLength { get; init; }
    /// <summary>CPU threads; 0 = one per core.</summary>
    public int Threads { get; init; }
    /// <summary>Requests that may wait for a slot; more get 503 with Retry-After.</summary>
    public int MaxQueue { get; init; } = 64;
    /// <summary>Longest a request may take (queue wait included); null = no limit.</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>When set, every route but /health needs <c>Authorization: Bearer</c> with this key.</summary>
    public string? ApiKey { get; init; }
    /// <summary>Largest request body accepted (413 beyond).</summary>
    public long MaxBodyBytes { get; init; } = 8 * 1024 * 1024;
    /// <summary>Serving the store: the memory loaded models may take together (0 = no limit); least recently used ones are unloaded to make room.</summary>
    public long MaxMemoryBytes { get; init; }
    /// <summary>The folder of the knowledge bases served under <c>/v1/kb</c>; null = <c>BAIMO_KB</c> or <c>~/.baimo/kb</c>.</summary>
    public string? KnowledgeRoot { get; init; }

    /// <summary>Checks ranges (a model is checked when it is loaded: serving the store needs none); throws <see cref="ArgumentException"/> naming the setting.</summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"port must be 0–65535 (got {Port})");
        if (Parallel is < 1 or > 256) throw new ArgumentException($"parallel must be 1–256 (got {Parallel})");
        if (ContextLength < 0) throw new ArgumentException($"ctx must be ≥ 0 (got {ContextLength})");
        if (Threads < 0) throw new ArgumentException($"threads must be ≥ 0 (got {Threads})");
        if (MaxQueue < 0) throw new ArgumentException($"max-queue must be ≥ 0 (got {MaxQueue})");
        if (Timeout is { } t && t <= TimeSpan.Zero) throw new ArgumentException($"timeout must be positive (got {t.TotalSeconds} s)");
        if (ApiKey is { Length: 0 }) throw new ArgumentException("the API key is empty");
        if (MaxMemoryBytes < 0) throw new ArgumentException($"max-memory must be ≥ 0 (got {MaxMemoryBytes})");
        if (MaxBodyBytes < 1024) throw new ArgumentException($"the body limit must be at least 1024 bytes (got {MaxBodyBytes})");
    }
}
