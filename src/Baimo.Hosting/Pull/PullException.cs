namespace Baimo.Hosting.Pull;

/// <summary>A pull that cannot finish, with a message meant for the person who typed the name.</summary>
public sealed class PullException(string message, Exception? inner = null) : Exception(message, inner);
