using Baimo.Hosting.Pull;

namespace Baimo.Hosting.Tests;

public class ModelReferenceTests
{
    [Theory]
    [InlineData("hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q8_0", HubKind.HuggingFace, "Qwen/Qwen2.5-0.5B-Instruct-GGUF", "Q8_0", null, "hf.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q8_0")]
    [InlineData("huggingface.co/a/b", HubKind.HuggingFace, "a/b", null, null, "hf.co/a/b")]
    [InlineData("hf.co/a/b/dir/model-Q4_0.gguf", HubKind.HuggingFace, "a/b", null, "dir/model-Q4_0.gguf", "hf.co/a/b/dir/model-Q4_0.gguf")]
    [InlineData("modelscope.cn/Qwen/Qwen2.5-7B-Instruct-GGUF:q4_k_m", HubKind.ModelScope, "Qwen/Qwen2.5-7B-Instruct-GGUF", "q4_k_m", null, "modelscope.cn/Qwen/Qwen2.5-7B-Instruct-GGUF:q4_k_m")]
    [InlineData("llama3.2:1b", HubKind.HuggingFace, "bartowski/Llama-3.2-1B-Instruct-GGUF", "Q4_K_M", null, "llama3.2:1b")]
    [InlineData("bge-m3:latest", HubKind.HuggingFace, "gpustack/bge-m3-GGUF", "Q8_0", null, "bge-m3")]
    public void NamesParse(string text, HubKind hub, string repo, string? quant, string? file, string name)
    {
        var r = ModelReference.Parse(text);
        Assert.Equal(new ModelReference(name, hub, repo, quant, file), r);
    }

    [Theory]
    [InlineData("qwen2.5:0.6b", "qwen2.5:0.5b")]
    [InlineData("hf.co/onlyowner", "names no repository")]
    [InlineData("", "a model name is required")]
    [InlineData("hf.co/a/../b:Q8_0", "names no repository")]
    public void BadNamesSayWhatWouldWork(string text, string expected)
    {
        var e = Assert.Throws<PullException>(() => ModelReference.Parse(text));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void EveryAliasPointsAtAHubRepositoryWithAQuantization()
    {
        foreach (var (alias, target) in ModelCatalog.Aliases)
        {
            var r = ModelReference.Parse(alias);
            Assert.Equal(alias, r.Name);
            Assert.Equal(target, r.DisplayRepository + ":" + r.Quant);
        }
    }
}
