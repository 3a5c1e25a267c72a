namespace Baimo.Hosting.Knowledge;

/// <summary>A request named a knowledge base the catalog does not hold; the message lists those it does.</summary>
public sealed class KnowledgeBaseNotFoundException(string message) : Exception(message);
