namespace Baimo.Generation.Tests;

public class StopMatcherTests
{
    [Fact]
    public void HoldsBackAPossibleStopStringAndReleasesItWhenItIsNot()
    {
        var m = new StopMatcher(["</answer>"]);
        Assert.Equal("The answer is 4", m.Push("The answer is 4"));
        Assert.Equal("", m.Push("</ans"));
        Assert.Equal("</ans and more", m.Push(" and more"));
        Assert.False(m.Stopped);
    }

    [Fact]
    public void StopsAtTheEarliestStopStringAndDropsTheRest()
    {
        var m = new StopMatcher(["\n\n", "User:"]);
        Assert.Equal("Hello", m.Push("Hello"));
        Assert.Equal(" there", m.Push(" there\n"));
        Assert.Equal("", m.Push("\nUser: hi"));
        Assert.True(m.Stopped);
        Assert.Equal("", m.Push("ignored"));
        Assert.Equal("", m.Flush());
    }

    [Fact]
    public void FlushReleasesAHeldBackTail()
    {
        var m = new StopMatcher(["STOP"]);
        Assert.Equal("abc", m.Push("abcST"));
        Assert.Equal("ST", m.Flush());
    }

    [Fact]
    public void NoStopsPassesEverythingThrough()
    {
        var m = new StopMatcher([]);
        Assert.Equal("x", m.Push("x"));
        Assert.Equal("", m.Flush());
    }
}
