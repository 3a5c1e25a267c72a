using System.Runtime.CompilerServices;
using Baimo.Generation;
using MEAI = Microsoft.Extensions.AI;

namespace Baimo.AI;

/// <summary>
/// An <see cref="MEAI.IChatClient"/> over an <see cref="InferenceEngine"/>: the conversation is rendered with the
/// model's chat template, generated in one of the engine's slots, and tool calls are parsed from the reply in
/// the model family's format. Each streamed update's <c>RawRepresentation</c> is the <see cref="TokenEvent"/>[]
/// it came from (log-probabilities, timings); the last update carries the finish reason and usage.
/// </summary>
public sealed class BaimoChatClient : MEAI.IChatClient
{
    private readonly InferenceEngine _engine;
    private readonly BaimoChatClientOptions _options;
    private readonly MEAI.ChatClientMetadata _metadata;

    public BaimoChatClient(InferenceEngine engine, BaimoChatClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _options = options ?? new BaimoChatClientOptions();
        ModelId = _options.ModelId ?? Path.GetFileNameWithoutExtension(engine.Model.Path);
        var template = engine.Model.ChatTemplate;
        Prompts = new ChatPromptBuilder(new ChatFormatter(engine.Model.Tokenizer, template), template);
        _metadata = new MEAI.ChatClientMetadata("baimo", null, ModelId);
    }

    /// <summary>The model's name in responses.</summary>
    public string ModelId { get; }

    /// <summary>The engine generating the replies.</summary>
    public InferenceEngine Engine => _engine;

    /// <summary>Renders conversations into prompts.</summary>
    public ChatPromptBuilder Prompts { get; }

    public async Task<MEAI.ChatResponse> GetResponseAsync(IEnumerable<MEAI.ChatMessage> messages, MEAI.ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var updates = new List<MEAI.ChatResponseUpdate>();
        await foreach (var u in GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false)) updates.Add(u);
        return MEAI.ChatResponseExtensions.ToChatResponse(updates);
    }

    public async IAsyncEnumerable<MEAI.ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<MEAI.ChatMessage> messages,
        MEAI.ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (_, prompt) = Prompts.Build(messages, options);
        var request = new CompletionRequest
        {
            Prompt = prompt,
            Options = GenerationOptionsMapping.From(options, _options.DefaultMaxTokens),
            Logprobs = GenerationOptionsMapping.Bool(options, BaimoChatProperties.Logprobs) ?? false,
            TopLogprobs = GenerationOptionsMapping.Int(options, BaimoChatProperties.TopLogprobs) ?? 0,
            Constraint = ResponseFormats.ConstraintFor(options?.ResponseFormat, _engine.Model.Tokenizer),
            Timeout = _options.Timeout,
        };
        var events = _engine.Submit(request, cancellationToken);

        var responseId = "chatcmpl-" + Guid.NewGuid().ToString("N");
        var created = DateTimeOffset.UtcNow;
        var filter = ChatPromptBuilder.UsesTools(options) ? new ToolCallStreamFilter(Prompts.ToolFormat) : null;
        var pending = new List<TokenEvent>();

        MEAI.ChatResponseUpdate Update(string text) => new(MEAI.ChatRole.Assistant, text.Length > 0 ? [new MEAI.TextContent(text)] : [])
        {
            ResponseId = responseId,
            MessageId = responseId,
            CreatedAt = created,
            ModelId = ModelId,
            RawRepresentation = pending.ToArray(),
        };

        await foreach (var e in events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            pending.Add(e);
            if (e.Finish is { } finish)
            {
                var tail = Update(filter?.Push(e.Text) ?? e.Text);
                MEAI.ChatFinishReason reason = finish == FinishReason.Stop ? MEAI.ChatFinishReason.Stop : MEAI.ChatFinishReason.Length;
                if (filter != null)
                {
                    var (rest, reply) = filter.Finish();
                    if (rest.Length > 0) tail.Contents.Add(new MEAI.TextContent(rest));
                    foreach (var call in reply.ToolCalls)
                        tail.Contents.Add(new MEAI.FunctionCallContent("call_" + Guid.NewGuid().ToString("N")[..24], call.Name, call.ArgumentsDictionary())
                        {
                            RawRepresentation = call,
                        });
                    if (reply.ToolCalls.Count > 0) reason = MEAI.ChatFinishReason.ToolCalls;
                }
                tail.FinishReason = reason;
                if (e.Usage is { } usage)
                    tail.Contents.Add(new MEAI.UsageContent(new MEAI.UsageDetails
                    {
                        InputTokenCount = usage.PromptTokens,
                        OutputTokenCount = usage.CompletionTokens,
                        TotalTokenCount = usage.PromptTokens + usage.CompletionTokens,
                        CachedInputTokenCount = usage.CachedPromptTokens,
                    }));
                yield return tail;
                yield break;
            }
            var text = filter?.Push(e.Text) ?? e.Text;
            if (text.Length == 0 && !request.Logprobs) continue;
            yield return Update(text);
            pending.Clear();
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(MEAI.ChatClientMetadata) ? _metadata
        : serviceType == typeof(InferenceEngine) ? _engine
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    /// <summary>The engine belongs to whoever created it; disposing the client leaves it running.</summary>
    public void Dispose() { }
}
