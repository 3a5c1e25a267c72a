using System.Globalization;
using System.Security.Cryptography;
using Baimo.Knowledge.Chunking;
using Baimo.Knowledge.Documents;
using Baimo.Knowledge.Retrieval;
using Baimo.Knowledge.Storage;
using Baimo.Knowledge.Analysis;
using Microsoft.Extensions.AI;

namespace Baimo.Knowledge;

/// <summary>
/// A knowledge base: one SQLite file holding documents cut into chunks, a BM25 full-text index over segmented terms
/// and, when the base has an embedding model, one vector per chunk. Add extracted documents, search them.
/// </summary>
/// <remarks>
/// Thread-safe: calls are serialised on the single connection; embedding (the slow part of ingestion) runs outside
/// that lock. Adding a document is idempotent by content hash, and each document is written in one transaction, so
/// an interrupted ingestion is completed by running it again.
/// </remarks>
public sealed class KnowledgeBase : IDisposable
{
    private const int EmbeddingBatch = 32;

    private readonly KnowledgeStore _store;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _embeddings;
    private readonly DocumentChunker _chunker;
    private readonly TextAnalyzer _analyzer;
    private readonly RetrievalOptions _retrieval;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private VectorIndex? _vectorIndex;   // loaded on the first vector search, dropped when documents change
    private bool _disposed;

    private KnowledgeBase(KnowledgeStore store, ChunkingOptions chunking,
        IEmbeddingGenerator<string, Embedding<float>>? embeddings, RetrievalOptions retrieval, SearchMode defaultMode,
        CjkTerms cjkTerms)
    {
        _store = store;
        Chunking = chunking;
        _chunker = new DocumentChunker(chunking);
        _embeddings = embeddings;
        _analyzer = cjkTerms == TextAnalyzer.Default.CjkTerms
            ? TextAnalyzer.Default
            : new TextAnalyzer(TextAnalyzer.Default.Segmenter, cjkTerms);
        _retrieval = retrieval;
        DefaultSearchMode = defaultMode;
    }

    /// <summary>The base's file.</summary>
    public string Path => _store.Path;

    /// <summary>How documents are cut.</summary>
    public ChunkingOptions Chunking { get; }

    /// <summary>The model the chunk vectors come from, or null for a full-text-only base.</summary>
    public string? EmbeddingModel => _store.GetConfig(ConfigKeys.EmbeddingModel);

    /// <summary>
    /// The term scheme in use, e.g. "icu-word+bigrams"; "script-runs+bigrams" means ICU could not start in this
    /// process (see <see cref="IcuWordSegmenter.TryCreate"/>) and Chinese is matched by bigrams alone.
    /// </summary>
    public string Analyzer => _analyzer.Name;

    /// <summary>What <see cref="SearchMode.Default"/> resolves to.</summary>
    public SearchMode DefaultSearchMode { get; }

    /// <summary>True when vector and hybrid search are possible (an embedding generator was supplied).</summary>
    public bool HasEmbeddings => _embeddings is not null;

    /// <summary>Creates a new base at <paramref name="path"/>; fails if the file exists.</summary>
    public static KnowledgeBase Create(string path, KnowledgeBaseOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new KnowledgeBaseOptions();
        options.Chunking.Validate();
        if (File.Exists(path)) throw new IOException($"A file already exists at '{path}'; open it instead.");
        var store = KnowledgeStore.Open(path, create: true);
        try
        {
            var inv = CultureInfo.InvariantCulture;
            store.SetConfig(ConfigKeys.Analyzer, TextAnalyzer.Default.Segmenter.Name);
            store.SetConfig(ConfigKeys.CjkTerms, options.CjkTerms.ToString());
            store.SetConfig(ConfigKeys.ChunkTokens, options.Chunking.ChunkTokens.ToString(inv));
            store.SetConfig(ConfigKeys.OverlapTokens, options.Chunking.OverlapTokens.ToString(inv));
            store.SetConfig(ConfigKeys.DefaultSearchMode, options.DefaultSearchMode.ToString());
            string? model = options.EmbeddingModel ?? ModelIdOf(options.Embeddings);
            if (options.Embeddings is not null) store.SetConfig(ConfigKeys.EmbeddingModel, model ?? "unnamed");
            return new KnowledgeBase(store, options.Chunking, options.Embeddings, options.Retrieval, options.DefaultSearchMode,
                options.CjkTerms);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens an existing base. Pass the embedding generator of the model the base was built with to enable vector
    /// and hybrid search; without one the base answers full-text searches only.
    /// </summary>
    public static KnowledgeBase Open(string path, IEmbeddingGenerator<string, Embedding<float>>? embeddings = null,
        RetrievalOptions? retrieval = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var store = KnowledgeStore.Open(path, create: false);
        try
        {
            var inv = CultureInfo.InvariantCulture;
            var chunking = new ChunkingOptions
            {
                ChunkTokens = int.Parse(store.GetConfig(ConfigKeys.ChunkTokens) ?? "240", inv),
                OverlapTokens = int.Parse(store.GetConfig(ConfigKeys.OverlapTokens) ?? "40", inv),
            };
            var mode = Enum.TryParse<SearchMode>(store.GetConfig(ConfigKeys.DefaultSearchMode), out var m) ? m : SearchMode.FullText;
            var cjk = Enum.TryParse<CjkTerms>(store.GetConfig(ConfigKeys.CjkTerms), out var t) ? t : CjkTerms.WordsAndBigrams;
            string? stored = store.GetConfig(ConfigKeys.EmbeddingModel);
            if (embeddings is not null)
            {
                string? given = ModelIdOf(embeddings);
                if (stored is null && store.ListDocuments().Count > 0)
                    throw new InvalidOperationException($"'{path}' was built without embeddings; re-create it to add a model.");
                if (stored is not null && given is not null && stored != "unnamed" && given != stored)
                    throw new InvalidOperationException($"'{path}' holds vectors of '{stored}', not '{given}'.");
                if (stored is null) store.SetConfig(ConfigKeys.EmbeddingModel, given ?? "unnamed");
            }
            return new KnowledgeBase(store, chunking, embeddings, retrieval ?? new RetrievalOptions(), mode, cjk);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Hex SHA-256 of a stream: the content hash <see cref="AddDocumentAsync"/> expects by convention.</summary>
    public static async Task<string> HashAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var hash = await SHA256.HashDataAsync(content, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Adds a document, or replaces it when <paramref name="contentHash"/> differs from the stored one; does nothing
    /// when the hash is unchanged. Chunks are embedded before anything is written, then the document row, chunks,
    /// terms and vectors are written in one transaction.
    /// </summary>
    /// <param name="source">The document's key: its path relative to the folder it came from, with '/' separators.</param>
    /// <param name="contentHash">Hash of the file's bytes (see <see cref="HashAsync"/>).</param>
    /// <param name="document">The extracted text.</param>
    /// <param name="metadata">File size, time and reader name to store; optional.</param>
    /// <param name="cancellationToken">Cancels before the write; a cancelled add leaves the previous version.</param>
    public async Task<IngestResult> AddDocumentAsync(string source, string contentHash, ExtractedDocument document,
        DocumentMetadata? metadata = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(contentHash);
        ArgumentNullException.ThrowIfNull(document);
        ObjectDisposedException.ThrowIf(_disposed, this);

        string? previous = await WithStore(s => s.GetContentHash(source), cancellationToken).ConfigureAwait(false);
        if (previous == contentHash)
        {
            int count = (await WithStore(s => s.ListDocuments(), cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(d => d.Source == source)?.Chunks ?? 0;
            return new IngestResult(source, IngestOutcome.Unchanged, count, 0);
        }

        var chunks = _chunker.Chunk(document);
        string title = document.Title ?? System.IO.Path.GetFileNameWithoutExtension(source);
        var vectors = await EmbedChunksAsync(title, chunks, cancellationToken).ConfigureAwait(false);
        var rows = new List<ChunkRow>(chunks.Count);
        for (int i = 0; i < chunks.Count; i++)
        {
            var c = chunks[i];
            string head = _analyzer.IndexText(title + "\n" + string.Join('\n', c.HeadingPath));
            rows.Add(new ChunkRow(c.Ordinal, c.Text, c.Start, c.Length, c.Location, c.HeadingPath, head,
                _analyzer.IndexText(c.Text), vectors?[i]));
        }
        metadata ??= new DocumentMetadata();
        var info = new DocumentInfo(source, contentHash, metadata.Size, metadata.Modified, metadata.Reader,
            document.Pages, document.Title, chunks.Count, DateTimeOffset.UtcNow);

        await WithStore(s =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (vectors is { Count: > 0 } && StoredDimension(s) is { } dim && dim != vectors[0].Length)
                throw new InvalidOperationException(
                    $"The embedding generator returned {vectors[0].Length}-dimensional vectors; '{Path}' holds {dim}-dimensional ones.");
            s.ReplaceDocument(info, rows);
            if (vectors is { Count: > 0 } && StoredDimension(s) is null)
                s.SetConfig(ConfigKeys.EmbeddingDimension, vectors[0].Length.ToString(CultureInfo.InvariantCulture));
            _vectorIndex = null;
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        return new IngestResult(source, previous is null ? IngestOutcome.Added : IngestOutcome.Replaced,
            chunks.Count, vectors?.Count ?? 0);
    }

    /// <summary>Removes a document and its chunks; false when the base did not hold it.</summary>
    public bool RemoveDocument(string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _gate.Wait();
        try
        {
            bool removed = _store.RemoveDocument(source);
            if (removed) _vectorIndex = null;
            return removed;
        }
        finally { _gate.Release(); }
    }

    /// <summary>The documents in the base, ordered by source.</summary>
    public IReadOnlyList<DocumentInfo> Documents()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _gate.Wait();
        try { return _store.ListDocuments(); }
        finally { _gate.Release(); }
    }

    /// <summary>
    /// Finds the <paramref name="k"/> chunks best matching <paramref name="query"/>. Full text ranks by BM25 over
    /// segmented words and CJK bigrams (the document title and heading path count as a separate, weighted field);
    /// vector ranks by cosine similarity; hybrid fuses both by weighted reciprocal rank.
    /// </summary>
    /// <exception cref="InvalidOperationException">Vector or hybrid search on a base opened without an embedding generator.</exception>
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string query, int k = 5, SearchFilter? filter = null,
        SearchMode mode = SearchMode.Default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ObjectDisposedException.ThrowIf(_disposed, this);
        filter ??= SearchFilter.None;
        if (mode == SearchMode.Default) mode = DefaultSearchMode == SearchMode.Default ? SearchMode.FullText : DefaultSearchMode;
        if (mode != SearchMode.FullText && _embeddings is null)
        {
            if (mode == SearchMode.Hybrid && DefaultSearchMode == SearchMode.Hybrid) mode = SearchMode.FullText;
            else throw new InvalidOperationException($"{mode} search needs the base's embedding model; open it with an embedding generator.");
        }

        int depth = mode == SearchMode.Hybrid ? Math.Max(50, k * _retrieval.CandidateFactor) : k;
        IReadOnlyList<(long, double)> fullText = [], vector = [];
        if (mode != SearchMode.Vector)
        {
            string? match = FullTextQuery.Build(_analyzer.Terms(query));
            if (match is not null)
                fullText = await WithStore(s => s.FullTextSearch(match, depth, filter, _retrieval.HeadingWeight, 1.0), cancellationToken)
                    .ConfigureAwait(false);
        }
        if (mode != SearchMode.FullText)
        {
            var q = await EmbedAsync([query], cancellationToken).ConfigureAwait(false);
            vector = await WithStore(s =>
            {
                // The stored dimension wins: a query vector of another size means the wrong model, reported by Search.
                _vectorIndex ??= VectorIndex.Load(s, StoredDimension(s) ?? q[0].Length);
                return _vectorIndex.Search(q[0], depth, filter);
            }, cancellationToken).ConfigureAwait(false);
        }

        var fused = mode switch
        {
            SearchMode.FullText => fullText.Select(h => new FusedHit(h.Item1, h.Item2, h.Item2, null)).ToList(),
            SearchMode.Vector => vector.Select(h => new FusedHit(h.Item1, h.Item2, null, h.Item2)).ToList(),
            _ => RankFusion.Fuse(fullText, vector, _retrieval),
        };
        var top = fused.Take(k).ToList();
        var chunks = await WithStore(s => s.GetChunks(top.Select(h => h.Id)), cancellationToken).ConfigureAwait(false);
        var hits = new List<SearchHit>(top.Count);
        foreach (var h in top)
        {
            if (!chunks.TryGetValue(h.Id, out var c)) continue;
            hits.Add(new SearchHit(hits.Count + 1, h.Score, c.Id, c.Source, c.Location, c.HeadingPath, c.Text,
                c.Start, c.Length, h.FullTextScore, h.VectorScore));
        }
        return hits;
    }

    /// <summary>The store, for tests that inspect rows or simulate a crash.</summary>
    internal KnowledgeStore Store => _store;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _store.Dispose();
        _gate.Dispose();
    }

    private async Task<T> WithStore<T>(Func<KnowledgeStore, T> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try { return work(_store); }
        finally { _gate.Release(); }
    }

    private async Task<List<float[]>?> EmbedChunksAsync(string title, IReadOnlyList<Chunk> chunks, CancellationToken ct)
    {
        if (_embeddings is null || chunks.Count == 0) return _embeddings is null ? null : [];
        // The heading path goes in front of the text: a chunk reading "It opens at 9" means little without "Library".
        var inputs = chunks.Select(c => string.Join(" / ", new[] { title }.Concat(c.HeadingPath)) + "\n" + c.Text).ToList();
        var result = new List<float[]>(inputs.Count);
        for (int i = 0; i < inputs.Count; i += EmbeddingBatch)
            result.AddRange(await EmbedAsync(inputs.GetRange(i, Math.Min(EmbeddingBatch, inputs.Count - i)), ct).ConfigureAwait(false));
        return result;
    }

    private async Task<List<float[]>> EmbedAsync(IList<string> inputs, CancellationToken ct)
    {
        var generated = await _embeddings!.GenerateAsync(inputs, cancellationToken: ct).ConfigureAwait(false);
        if (generated.Count != inputs.Count)
            throw new InvalidOperationException($"The embedding generator returned {generated.Count} vectors for {inputs.Count} inputs.");
        var list = new List<float[]>(generated.Count);
        foreach (var e in generated)
        {
            var v = e.Vector.ToArray();
            VectorMath.Normalize(v);
            list.Add(v);
        }
        return list;
    }

    private static int? StoredDimension(KnowledgeStore store) =>
        int.TryParse(store.GetConfig(ConfigKeys.EmbeddingDimension), NumberStyles.None, CultureInfo.InvariantCulture, out int d) ? d : null;

    private static string? ModelIdOf(IEmbeddingGenerator<string, Embedding<float>>? generator) =>
        generator?.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId;
}
