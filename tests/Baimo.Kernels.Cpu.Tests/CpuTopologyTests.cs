namespace Baimo.Kernels.Cpu.Tests;

public class CpuTopologyTests
{
    [Theory]
    [InlineData("0", 1)]
    [InlineData("0-1\n", 2)]
    [InlineData("0,64", 2)]
    [InlineData("0-3,8,10-11", 7)]
    [InlineData("", 0)]
    public void SiblingListsAreCounted(string list, int expected) => Assert.Equal(expected, CpuTopology.CountList(list));

    [Fact]
    public void DefaultIsOnePerCoreWithinTheProcessorsThisProcessMayUse()
    {
        int n = CpuTopology.DefaultThreads;
        Assert.InRange(n, 1, Environment.ProcessorCount);
    }
}
