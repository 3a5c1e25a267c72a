using Baimo.Formats.Gguf;
using Baimo.Testing;
using Baimo.Tokenizers;

namespace Baimo.Generation.Tests;

public class ChatFormatterTests
{
    [Fact]
    public void QwenTemplateRendersAndSpecialMarkersBecomeSpecialTokens()
    {
        using var f = GgufFile.Open(Oracle.Path("tokenizers", "ggml-vocab-qwen2.gguf"));
        var tok = Tokenizer.FromGgufMetadata(f.Metadata);
        var formatter = new ChatFormatter(tok, File.ReadAllText(Oracle.Path("templates", "Qwen-Qwen2.5-7B-Instruct.jinja")));
        var text = formatter.Render([ChatMessage.System("You are helpful."), ChatMessage.User("你好")]);
        Assert.Equal("<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\n你好<|im_end|>\n<|im_start|>assistant\n", text);
        var ids = formatter.Tokenize(text);
        Assert.Equal(tok.FindToken("<|im_start|>"), ids[0]);
        Assert.Equal(3, ids.Count(id => id == tok.FindToken("<|im_start|>")));
    }

    [Fact]
    public void ATemplateThatWritesBosIsNotGivenASecondOne()
    {
        using var f = GgufFile.Open(Oracle.Path("tokenizers", "ggml-vocab-llama-spm.gguf"));
        var tok = Tokenizer.FromGgufMetadata(f.Metadata);
        var formatter = new ChatFormatter(tok, File.ReadAllText(Oracle.Path("templates", "llama-2-chat.jinja")));
        var text = formatter.Render([ChatMessage.User("Hi")]);
        Assert.StartsWith("<s>", text);
        var ids = formatter.Tokenize(text);
        Assert.Equal(tok.BosId, ids[0]);
        Assert.NotEqual(tok.BosId, ids[1]);
    }

    [Fact]
    public void WithoutATemplateChatMlIsUsed()
    {
        using var f = GgufFile.Open(Oracle.Path("tokenizers", "ggml-vocab-qwen2.gguf"));
        var formatter = new ChatFormatter(Tokenizer.FromGgufMetadata(f.Metadata), null);
        Assert.False(formatter.HasOwnTemplate);
        Assert.Equal("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n", formatter.Render([ChatMessage.User("hi")]));
    }

    [Fact]
    public void ARefusingTemplateThrows()
    {
        using var f = GgufFile.Open(Oracle.Path("tokenizers", "ggml-vocab-llama-spm.gguf"));
        var formatter = new ChatFormatter(Tokenizer.FromGgufMetadata(f.Metadata), File.ReadAllText(Oracle.Path("templates", "llama-2-chat.jinja")));
        Assert.ThrowsAny<Baimo.Templates.TemplateException>(() => formatter.Render([ChatMessage.User("a"), ChatMessage.User("b")]));
    }
}
