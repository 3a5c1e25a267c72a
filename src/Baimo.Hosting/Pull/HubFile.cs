namespace Baimo.Hosting.Pull;

/// <summary>One file of a hub repository with the size and SHA-256 the hub publishes for it.</summary>
public sealed record HubFile(string Path, long Size, string? Sha256);
