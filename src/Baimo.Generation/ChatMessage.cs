namespace Baimo.Generation;

/// <summary>One turn of a conversation. Extra fields (tool calls, names…) travel in <see cref="Extra"/>.</summary>
public sealed record ChatMessage(string Role, string Content)
{
    public IReadOnlyDictionary<string, object?>? Extra { get; init; }

    public static ChatMessage System(string content) => new("system", content);
    public static ChatMessage User(string content) => new("user", content);
    public static ChatMessage Assistant(string content) => new("assistant", content);

    /// <summary>The message as the template engine sees it: a dictionary with role, content and extras.</summary>
    public IReadOnlyDictionary<string, object?> ToTemplateValue()
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal) { ["role"] = Role, ["content"] = Content };
        if (Extra != null) foreach (var (k, v) in Extra) d[k] = v;
        return d;
    }
}
