using Baimo.Templates;
using Baimo.Tokenizers;

namespace Baimo.Generation;

/// <summary>
/// Turns a conversation into prompt tokens with the model's own chat template (<c>tokenizer.chat_template</c>),
/// falling back to ChatML when the model has none. Special-token text in the rendered prompt becomes the
/// special tokens; BOS is added only if the template did not already write it.
/// </summary>
public sealed class ChatFormatter
{
    /// <summary>ChatML, the fallback for models that ship no template.</summary>
    public const string ChatMl =
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    private readonly ChatTemplate _template;
    private readonly Tokenizer _tokenizer;
    private readonly string _bos, _eos;

    public ChatFormatter(Tokenizer tokenizer, string? templateSource)
    {
        _tokenizer = tokenizer;
        HasOwnTemplate = !string.IsNullOrEmpty(templateSource);
        _template = new ChatTemplate(HasOwnTemplate ? templateSource! : ChatMl);
        _bos = tokenizer.BosId >= 0 ? tokenizer.GetTokenText(tokenizer.BosId) : "";
        _eos = tokenizer.EosId >= 0 ? tokenizer.GetTokenText(tokenizer.EosId) : "";
    }

    /// <summary>Whether the model supplied its own template (otherwise ChatML is used).</summary>
    public bool HasOwnTemplate { get; }

    /// <summary>The prompt text for a conversation.</summary>
    /// <exception cref="TemplateException">The template refuses the conversation (e.g. roles that do not alternate).</exception>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true, object? tools = null,
        IReadOnlyDictionary<string, object?>? extra = null) =>
        _template.Render(messages.Select(m => (object?)m.ToTemplateValue()).ToList(), tools, addGenerationPrompt, _bos, _eos, extra);

    /// <summary>The prompt tokens for a conversation.</summary>
    public int[] Tokenize(string rendered)
    {
        bool templateWroteBos = _bos.Length > 0 && rendered.StartsWith(_bos, StringComparison.Ordinal);
        return _tokenizer.Encode(rendered, addSpecial: !templateWroteBos, parseSpecial: true);
    }
}
