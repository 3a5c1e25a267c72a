namespace Baimo.Knowledge.Storage;

/// <summary>Keys of the config table; values are invariant-culture strings.</summary>
internal static class ConfigKeys
{
    public const string SchemaVersion = "schema_version";
    public const string Analyzer = "analyzer";
    public const string CjkTerms = "cjk_terms";
    public const string ChunkTokens = "chunk_tokens";
    public const string OverlapTokens = "overlap_tokens";
    public const string EmbeddingModel = "embedding_model";
    public const string EmbeddingDimension = "embedding_dimension";
    public const string DefaultSearchMode = "default_search_mode";
}
