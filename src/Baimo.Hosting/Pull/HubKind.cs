namespace Baimo.Hosting.Pull;

/// <summary>The model hubs a name can point at.</summary>
public enum HubKind { HuggingFace, ModelScope }
