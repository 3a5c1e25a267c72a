namespace Baimo.AI;

/// <summary>How a model family writes tool calls in its output.</summary>
public enum ToolCallFormat
{
    /// <summary>Hermes / Qwen: <c>&lt;tool_call&gt;{"name":…,"arguments":{…}}&lt;/tool_call&gt;</c>, one block per call.</summary>
    Hermes,
    /// <summary>Llama 3.x: the whole reply is <c>{"name":…,"parameters":{…}}</c> (optionally after <c>&lt;|python_tag|&gt;</c>).</summary>
    Llama3Json,
    /// <summary>Mistral: <c>[TOOL_CALLS][{"name":…,"arguments":{…}}, …]</c>.</summary>
    Mistral,
}

/// <summary>Recognises a model's tool-call format from its chat template.</summary>
public static class ToolCallFormats
{
    /// <summary>
    /// The format a chat template teaches its model. Templates that mention none of the known markers get
    /// <see cref="ToolCallFormat.Hermes"/>, the format <see cref="ToolPrompt"/> describes when it has to
    /// explain tools to a model whose template cannot.
    /// </summary>
    public static ToolCallFormat Detect(string? template)
    {
        if (string.IsNullOrEmpty(template)) return ToolCallFormat.Hermes;
        if (template.Contains("[TOOL_CALLS]", StringComparison.Ordinal)) return ToolCallFormat.Mistral;
        if (template.Contains("<tool_call>", StringComparison.Ordinal)) return ToolCallFormat.Hermes;
        if (template.Contains("<|start_header_id|>", StringComparison.Ordinal) || template.Contains("<|python_tag|>", StringComparison.Ordinal))
            return ToolCallFormat.Llama3Json;
        return ToolCallFormat.Hermes;
    }

    /// <summary>Whether a template renders the <c>tools</c> variable itself.</summary>
    public static bool TemplateRendersTools(string? template) =>
        !string.IsNullOrEmpty(template) && template.Contains("tools", StringComparison.Ordinal);
}
