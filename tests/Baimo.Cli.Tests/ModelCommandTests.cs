using System.Text.Json;
using Baimo.Testing;

namespace Baimo.Cli.Tests;

public class ModelCommandTests
{
    private static readonly string Stories = Oracle.Path("models", "stories260K.gguf");

    [Fact]
    public void RunStreamsTheGreedyReferenceText()
    {
        var reference = JsonDocument.Parse(File.ReadAllBytes(Oracle.Path("models", "stories260K.ref.json"))).RootElement;
        var (code, o, e) = CliRunner.Run("run", "-m", Stories, "-p", "Once upon a time", "-n", "50", "--temp", "0", "-t", "2");
        Assert.Equal(0, code);
        Assert.Equal("", e);
        Assert.Equal(reference.GetProperty("greedy").GetProperty("text").GetString() + "\n", o);
    }

    [Fact]
    public void RunJsonHasIdsTextAndTimings()
    {
        var (code, o, _) = CliRunner.Run("run", "-m", Stories, "-p", "Once upon a time", "-n", "8", "--temp", "0", "--json");
        Assert.Equal(0, code);
        var j = JsonDocument.Parse(o).RootElement;
        Assert.Equal([1, 403, 407, 261, 378], j.GetProperty("prompt_ids").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Equal(8, j.GetProperty("ids").GetArrayLength());
        Assert.StartsWith(", there was", j.GetProperty("text").GetString());
        Assert.True(j.GetProperty("timings").GetProperty("gen_tokens_per_s").GetDouble() > 0);
        Assert.True(j.GetProperty("timings").GetProperty("prompt_tokens_per_s").GetDouble() > 0);
    }

    [Fact]
    public void RunWithASeedIsReproducible()
    {
        string[] args = ["run", "-m", Stories, "-p", "Once upon a time", "-n", "30", "--temp", "1", "--seed", "11"];
        Assert.Equal(CliRunner.Run(args).Out, CliRunner.Run(args).Out);
    }

    [Fact]
    public void LogitsWritesEveryPositionAndCanDumpActivations()
    {
        var reference = JsonDocument.Parse(File.ReadAllBytes(Oracle.Path("models", "stories260K.ref.json"))).RootElement;
        var ids = string.Join(' ', reference.GetProperty("sequence_ids").EnumerateArray().Select(x => x.GetInt32()));
        var dir = Directory.CreateTempSubdirectory("baimo-logits").FullName;
        try
        {
            var output = Path.Combine(dir, "l.bin");
            var (code, _, e) = CliRunner.Run("logits", "-m", Stories, "--ids", ids, "--out", output, "--dump-activations", Path.Combine(dir, "acts"));
            Assert.True(code == 0, e);
            var ours = File.ReadAllBytes(output);
            var theirs = File.ReadAllBytes(Oracle.Path("models", "stories260K.logits.bin"));
            Assert.Equal(theirs.Length, ours.Length);
            for (int i = 0; i < ours.Length; i += 4)
                Assert.True(Math.Abs(BitConverter.ToSingle(ours, i) - BitConverter.ToSingle(theirs, i)) < 1e-4);
            var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "acts", "index.json"))).RootElement;
            Assert.Contains(index.EnumerateArray(), x => x.GetProperty("name").GetString() == "ffn_out" && x.GetProperty("layer").GetInt32() == 4);
            Assert.All(index.EnumerateArray(), x => Assert.True(File.Exists(Path.Combine(dir, "acts", x.GetProperty("file").GetString()!))));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void PerplexityJson()
    {
        var (code, o, _) = CliRunner.Run("perplexity", "-m", Stories, "-f", Oracle.Path("models", "ppl-text.txt"), "-c", "128", "--json");
        Assert.Equal(0, code);
        var j = JsonDocument.Parse(o).RootElement;
        Assert.Equal(5.2738, Math.Round(j.GetProperty("ppl").GetDouble(), 4));
        Assert.Equal(10, j.GetProperty("chunks").GetInt32());
    }

    [Fact]
    public void EmbedPrintsANormalisedVector()
    {
        var (code, o, _) = CliRunner.Run("embed", "-m", Oracle.Path("models", "synth-bert", "synth-bert-F32.gguf"), "--text", "机器学习模型可以把句子变成向量。");
        Assert.Equal(0, code);
        var v = JsonDocument.Parse(o).RootElement.GetProperty("embedding").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal(128, v.Length);
        Assert.Equal(1.0, Math.Sqrt(v.Sum(x => x * x)), 5);
    }

    [Fact]
    public void ChatAnswersEachTurnAndLeavesOnBye()
    {
        var input = Console.In;
        try
        {
            Console.SetIn(new StringReader("Once upon a time\n/clear\nThe cat\n/bye\n"));
            var (code, o, e) = CliRunner.Run("chat", "-m", Stories, "--temp", "0", "-n", "8", "--system", "Tell a story.");
            Assert.True(code == 0, e);
            Assert.Contains("using ChatML", o);
            Assert.Contains("(conversation cleared)", o);
            Assert.Equal(4, o.Split(">>> ").Length - 1); // one prompt per input line
        }
        finally { Console.SetIn(input); }
    }

    [Theory]
    [InlineData(2, "run", "-m", "MODEL")]                                      // no prompt
    [InlineData(2, "run", "-m", "MODEL", "-p", "x", "--temp", "-1")]         // bad temperature
    [InlineData(2, "run", "-m", "MODEL", "-p", "x", "--top-p", "2")]
    [InlineData(2, "logits", "-m", "MODEL", "--ids", "1 99999", "--out", "/tmp/x.bin")]
    [InlineData(2, "perplexity", "-m", "MODEL", "-f", "TEXT", "-c", "4096")]  // text too short for the context
    [InlineData(2, "embed", "-m", "BERT", "--text", "x", "--pooling", "max")]
    [InlineData(1, "embed", "-m", "MODEL", "--text", "x")]                   // a decoder is not an embedding model
    [InlineData(1, "run", "-m", "BERT", "-p", "x")]                          // an encoder cannot generate
    public void ModelCommandErrors(int expected, params string[] args)
    {
        args = args.Select(a => a switch
        {
            "MODEL" => Stories,
            "BERT" => Oracle.Path("models", "synth-bert", "synth-bert-F32.gguf"),
            "TEXT" => Oracle.Path("models", "ppl-text.txt"),
            _ => a,
        }).ToArray();
        var (code, _, e) = CliRunner.Run(args);
        Assert.Equal(expected, code);
        Assert.StartsWith("baimo: ", e);
        Assert.Single(e.TrimEnd('\n').Split('\n'));
    }
}
