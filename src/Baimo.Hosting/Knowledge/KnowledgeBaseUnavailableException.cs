namespace Baimo.Hosting.Knowledge;

/// <summary>A base exists but cannot be served here, e.g. its embedding model is not on this machine.</summary>
public sealed class KnowledgeBaseUnavailableException(string message, Exception inner) : Exception(message, inner);
