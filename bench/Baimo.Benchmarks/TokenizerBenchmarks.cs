using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Baimo.Formats.Gguf;
using MlTok = Microsoft.ML.Tokenizers;

namespace Baimo.Benchmarks;

/// <summary>Baimo's tokenizer throughput on ≈3 MB of mixed Chinese/English text, per vocabulary.</summary>
public class TokenizerBenchmarks : TokenizerBenchmarkBase
{
    [Params("gpt-2", "llama-bpe", "qwen2", "llama-spm", "bert-bge")]
    public string Vocab { get => VocabName; set => VocabName = value; }

    [Benchmark]
    public int Baimo() => Encode();
}

/// <summary>
/// Baimo beside Microsoft.ML.Tokenizers on the vocabularies the library can load in an equivalent form:
/// GPT-2 (its CodeGen byte-level BPE from vocab.json + merges.txt) and Llama 3 (its tiktoken tokenizer
/// from a rank file with Llama 3's pre-tokenizer pattern). Setup checks that both produce the same ids.
/// </summary>
public class TokenizerComparisonBenchmarks : TokenizerBenchmarkBase
{
    [Params("gpt-2", "llama-bpe")]
    public string Vocab { get => VocabName; set => VocabName = value; }

    [Benchmark(Baseline = true)]
    public int Baimo() => Encode();

    [Benchmark]
    public int MicrosoftMLTokenizers() => Ml!.EncodeToIds(Text).Count;
}

/// <summary>Shared setup; the MB/s column is UTF-8 input bytes per second.</summary>
[Config(typeof(ThroughputConfig))]
[MemoryDiagnoser]
public abstract class TokenizerBenchmarkBase
{
    protected string Text = "";
    protected string VocabName = "";
    private global::Baimo.Tokenizers.Tokenizer _baimo = null!;
    protected MlTok.Tokenizer? Ml;

    protected int Encode() => _baimo.Encode(Text, addSpecial: false).Length;

    [GlobalSetup]
    public void Setup()
    {
        Text = BenchText.MixedChineseEnglish();
        Bytes = Encoding.UTF8.GetByteCount(Text);
        using var f = GgufFile.Open(BenchText.Oracle("tokenizers", $"ggml-vocab-{VocabName}.gguf"));
        _baimo = global::Baimo.Tokenizers.Tokenizer.FromGgufMetadata(f.Metadata);
        var tokens = (string[])f.Metadata["tokenizer.ggml.tokens"];
        Ml = VocabName switch
        {
            "gpt-2" => MlTok.CodeGenTokenizer.Create(ByteLevelVocab.VocabJson(tokens),
                ByteLevelVocab.MergesTxt((string[])f.Metadata["tokenizer.ggml.merges"]), addPrefixSpace: false, addBeginOfSentence: false, addEndOfSentence: false),
            "llama-bpe" => MlTok.TiktokenTokenizer.Create(ByteLevelVocab.Tiktoken(tokens, (int[])f.Metadata["tokenizer.ggml.token_type"]),
                new MlTok.RegexPreTokenizer(new System.Text.RegularExpressions.Regex(Llama3Pattern, System.Text.RegularExpressions.RegexOptions.Compiled), null),
                normalizer: null),
            _ => null,
        };
        if (Ml is not null)
        {
            // Same vocabulary, same rules: the comparison is only fair if the ids agree.
            var sample = Text[..20000];
            var a = _baimo.Encode(sample, addSpecial: false);
            var b = Ml.EncodeToIds(sample);
            int same = 0;
            while (same < Math.Min(a.Length, b.Count) && a[same] == b[same]) same++;
            Console.WriteLine($"// {VocabName}: Baimo {a.Length} ids, Microsoft.ML.Tokenizers {b.Count} ids, identical prefix {same}");
        }
    }

    /// <summary>Llama 3's pre-tokenizer pattern (from its tokenizer.json).</summary>
    private const string Llama3Pattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Input size in UTF-8 bytes, read by the MB/s column.</summary>
    public static long Bytes { get; private set; }

    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() => AddColumn(new MegabytesPerSecond());
    }

    private sealed class MegabytesPerSecond : IColumn
    {
        public string Id => "MBps";
        public string ColumnName => "MB/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "UTF-8 input megabytes (1e6) tokenized per second";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var stats = summary[benchmarkCase]?.ResultStatistics;
            // The size is the same text for every case; it is measured in this process too.
            long bytes = Bytes > 0 ? Bytes : Encoding.UTF8.GetByteCount(BenchText.MixedChineseEnglish());
            return stats is null || stats.Mean <= 0 ? "-" : (bytes / (stats.Mean / 1e9) / 1e6).ToString("F2");
        }
    }
}
