using Baimo.Knowledge.Retrieval;

namespace Baimo.Hosting.Knowledge;

/// <summary>One base as a listing shows it.</summary>
public sealed record KnowledgeBaseSummary(string Name, int Documents, int Chunks, string? EmbeddingModel, SearchMode DefaultMode);
