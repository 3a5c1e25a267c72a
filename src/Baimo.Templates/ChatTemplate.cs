namespace Baimo.Templates;

/// <summary>
/// A model's chat template: renders a conversation into the prompt text the model was trained on, with the
/// variables Hugging Face's <c>apply_chat_template</c> passes.
/// </summary>
public sealed class ChatTemplate
{
    /// <summary>Parses the template source (as found in tokenizer_config.json or GGUF <c>tokenizer.chat_template</c>).</summary>
    public ChatTemplate(string source) => Template = JinjaTemplate.Parse(source);

    /// <summary>The underlying template.</summary>
    public JinjaTemplate Template { get; }

    /// <summary>
    /// Renders a conversation. <paramref name="messages"/> is a list of messages (dictionaries with
    /// <c>role</c>, <c>content</c>, optional <c>tool_calls</c>...), given as .NET collections, a JSON array
    /// (<c>JsonElement</c>/<c>JsonNode</c>) or objects with those properties. <paramref name="tools"/> (same
    /// forms) is left undefined when null. <paramref name="extraVariables"/> adds or overrides variables
    /// (e.g. <c>enable_thinking</c>, <c>date_string</c>).
    /// </summary>
    public string Render(
        object messages,
        object? tools = null,
        bool addGenerationPrompt = true,
        string bosToken = "",
        string eosToken = "",
        IReadOnlyDictionary<string, object?>? extraVariables = null,
        TemplateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["messages"] = messages,
            ["add_generation_prompt"] = addGenerationPrompt,
            ["bos_token"] = bosToken,
            ["eos_token"] = eosToken,
        };
        if (tools is not null) variables["tools"] = tools;
        if (extraVariables is not null)
            foreach (var kv in extraVariables) variables[kv.Key] = kv.Value;
        return Template.Render(variables, options);
    }
}
