namespace Baimo.Models;

/// <summary>A model file cannot be used: unknown architecture, missing tensors or keys, wrong shapes.</summary>
public sealed class ModelLoadException(string message) : Exception(message);
