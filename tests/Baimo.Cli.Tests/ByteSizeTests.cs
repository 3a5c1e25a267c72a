namespace Baimo.Cli.Tests;

public class ByteSizeTests
{
    [Theory]
    [InlineData("8GiB", 8L << 30)]
    [InlineData("8G", 8L << 30)]
    [InlineData("512MB", 512L << 20)]
    [InlineData("1.5TiB", 3L << 39)]
    [InlineData("4096", 4096)]
    [InlineData("64 kib", 64L << 10)]
    public void SizesParse(string text, long bytes) => Assert.Equal(bytes, ByteSize.Parse(text, "--max-memory"));

    [Fact]
    public void ABadSizeIsAUsageError()
    {
        var (code, _, e) = CliRunner.Run("serve", "--max-memory", "lots");
        Assert.Equal(2, code);
        Assert.Contains("--max-memory must be a size such as 8GiB", e);
    }
}
