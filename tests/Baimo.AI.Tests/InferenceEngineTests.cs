using System.Text.Json;
using Baimo.Generation;
using Baimo.Models;
using Baimo.Testing;

namespace Baimo.AI.Tests;

public sealed class InferenceEngineTests : IAsyncLifetime
{
    private DecoderModel _model = null!;

    public Task InitializeAsync()
    {
        _model = ModelRegistry.LoadDecoder(Oracle.Path("models", "stories260K.gguf"));
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _model.Dispose();
        return Task.CompletedTask;
    }

    private static GenerationOptions Greedy(int n) => new() { MaxTokens = n, Sampling = SamplingOptions.Greedy };

    private static async Task<(string Text, List<TokenEvent> Events)> Collect(InferenceEngine e, CompletionRequest r, CancellationToken ct = default)
    {
        var events = new List<TokenEvent>();
        await foreach (var ev in e.Submit(r, ct).ReadAllAsync(CancellationToken.None)) events.Add(ev);
        return (string.Concat(events.Select(x => x.Text)), events);
    }

    [Fact]
    public async Task ASingleRequestGivesTheReferenceGreedyText()
    {
        var reference = JsonDocument.Parse(File.ReadAllBytes(Oracle.Path("models", "stories260K.ref.json"))).RootElement.GetProperty("greedy");
        await using var engine = new InferenceEngine(_model, new EngineOptions { Slots = 2, ContextLength = 256, Threads = 2 });
        var (text, events) = await Collect(engine, new CompletionRequest { Prompt = _model.Tokenizer.Encode("Once upon a time"), Options = Greedy(50) });
        Assert.Equal(reference.GetProperty("text").GetString(), text);
        var last = events[^1];
        Assert.Equal(FinishReason.Length, last.Finish);
        Assert.Equal(50, last.Usage!.CompletionTokens);
        Assert.Equal(5, last.Usage.PromptTokens);
        Assert.Equal(reference.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()), events.Where(x => x.TokenId >= 0).Select(x => x.TokenId));
    }

    [Fact]
    public async Task ConcurrentRequestsOverFewerSlotsEachGetTheirSoloResult()
    {
        string[] prompts = ["Once upon a time", "The little dog", "Lily and Tom went", "One day, a bird", "The sun was", "Max liked to"];
        var solo = new Dictionary<string, string>();
        foreach (var p in prompts)
        {
            using var s = _model.CreateSession(256, 2);
            solo[p] = new TextGenerator(s).Generate(_model.Tokenizer.Encode(p), Greedy(30)).Text;
        }
        await using var engine = new InferenceEngine(_model, new EngineOptions { Slots = 2, ContextLength = 256, Threads = 2, MaxQueue = 10 });
        var results = await Task.WhenAll(prompts.Select(p => Collect(engine, new CompletionRequest { Prompt = _model.Tokenizer.Encode(p), Options = Greedy(30) })));
        for (int i = 0; i < prompts.Length; i++) Assert.Equal(solo[prompts[i]], results[i].Text);
        Assert.Equal(0, engine.BusySlots);
        Assert.Equal(6 * 30, engine.GeneratedTokensTotal);
        // Prompt tokens evaluated: every prompt token, less the prefixes found already in a slot's cache.
        int all = prompts.Sum(p => _model.Tokenizer.Encode(p).Length);
        Assert.InRange(engine.PromptTokensTotal, all - 2 * prompts.Length, all);
    }

    [Fact]
    public async Task AFullQueueRefusesAtOnce()
    {
        await using var engine = new InferenceEngine(_model, new EngineOptions { Slots = 1, ContextLength = 256, Threads = 1, MaxQueue = 1 });
        var prompt = _model.Tokenizer.Encode("Once upon a time");
        var options = new GenerationOptions { MaxTokens = 200, IgnoreEndOfGeneration = true, Sampling = SamplingOptions.Greedy };
        using var cts = new CancellationTokenSource();
        var first = engine.Submit(new CompletionRequest { Prompt = prompt, Options = options }, cts.Token);
        var second = engine.Submit(new CompletionRequest { Prompt = prompt, Options = options }, cts.Token);
        var e = Assert.Throws<EngineBusyException>(() => engine.Submit(new CompletionRequest { Prompt = prompt, Options = options }));
        Assert.True(e.RetryAfter > TimeSpan.Zero);
        cts.Cancel();
        // A reader's Completion waits for its items to be read too.
        await foreach (var _ in first.ReadAllAsync()) { }
        await foreach (var _ in second.ReadAllAsync()) { }
        Assert.Equal(0, engine.QueueDepth);
    }

    [Fact]
    public async Task CancellingFreesTheSlotQuickly()
    {
        await using var engine = new InferenceEngine(_model, new EngineOptions { Slots = 2, ContextLength = 2048, Threads = 2 });
        using var cts = new CancellationTokenSource();
        var reader = engine.Submit(new CompletionRequest
        {
            Prompt = _model.Tokenizer.Encode("Once upon a time"),
            Options = new GenerationOptions { MaxTokens = 1500, IgnoreEndOfGeneration = true, Sampling = SamplingOptions.Greedy },
        }, cts.Token);
        await reader.ReadAsync();
        Assert.Equal(1, engine.BusySlots);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        cts.Cancel();
        TokenEvent last = default;
        await foreach (var ev in reader.ReadAllAsync()) last = ev;
        Assert.Equal(FinishReason.Cancelled, last.Finish);
        while (engine.BusySlots > 0 && sw.ElapsedMilliseconds < 30_000) await Task.Delay(5);
        Assert.Equal(0, engine.BusySlots);
    }

    [Fact]
    public async Task TheNextTurnReusesTheCachedPrefix()
    {
        await using var engine = new InferenceEngine(_model, new EngineOptions { Slots = 2, ContextLength = 256, Threads = 2 });
        var first = _model.Tokenizer.Encode("Once upon a time");
        var (text, events) = await Collect(engine, new CompletionRequest { Prompt = first, Options = Greedy(10) });
        var ids = events.Where(x => x.TokenId >= 0).Select(x => x.TokenId);
        var second = first.Concat(ids).Concat(_model.Tokenizer.Encode(" Then", addSpecial: false)).ToArray();
        var (_, events2) = await Collect(engine, new CompletionRequest { Prompt = second, Options = Greedy(10) });
        Assert.True(events2[^1].Usage!.CachedPromptTokens >= first.Length + 9, $"cached {events2[^1].Usage!.CachedPromptTokens}");
    }

    [Fact]
    public async Task LogprobsAndTopLogprobsAreReported()
    {
        await using var engine = new InferenceEngine(_model, new EngineOptions { Slots = 1, ContextLength = 256, Threads = 2 });
        var (_, events) = await Collect(engine, new CompletionRequest { Prompt = _model.Tokenizer.Encode("Once upon a time"), Options = Greedy(5), Logprobs = true, TopLogprobs = 3 });
        foreach (var ev in events.Where(x => x.TokenId >= 0))
        {
            Assert.True(ev.Logprob <= 0);
            Assert.Equal(3, ev.TopLogprobs!.Length);
            Assert.Equal(ev.TokenId, ev.TopLogprobs[0].TokenId); // greedy picks the most likely
            Assert.Equal(ev.Logprob, ev.TopLogprobs[0].Logprob, 3);
            Assert.True(ev.TopLogprobs[0].Logprob >= ev.TopLogprobs[1].Logprob);
        }
    }

    [Fact]
    public async Task ValidationHappensBeforeQueueing()
    {
        await using var engine = new InferenceEngine(_model, new EngineOptions { Slots = 1, ContextLength = 16, Threads = 1 });
        Assert.Throws<ContextFullException>(() => engine.Submit(new CompletionRequest { Prompt = Enumerable.Repeat(300, 16).ToArray() }));
        Assert.Throws<ArgumentException>(() => engine.Submit(new CompletionRequest { Prompt = [] }));
        Assert.Throws<ArgumentException>(() => engine.Submit(new CompletionRequest { Prompt = [1, 99999] }));
        Assert.Throws<ArgumentException>(() => engine.Submit(new CompletionRequest { Prompt = [1], TopLogprobs = 50 }));
        Assert.Equal(0, engine.QueueDepth);
    }

    [Fact]
    public async Task AGenerationThatFillsTheContextEndsWithContextFull()
    {
        await using var engine = new InferenceEngine(_model, new EngineOptions { Slots = 1, ContextLength = 16, Threads = 1 });
        var (_, events) = await Collect(engine, new CompletionRequest
        {
            Prompt = _model.Tokenizer.Encode("Once upon a time"),
            Options = new GenerationOptions { MaxTokens = 100, IgnoreEndOfGeneration = true, Sampling = SamplingOptions.Greedy },
        });
        Assert.Equal(FinishReason.ContextFull, events[^1].Finish);
    }
}
