using Baimo.Knowledge.Documents;

namespace Baimo.Knowledge.Tests;

public class DocumentModelTests
{
    [Fact]
    public void AReadErrorNamesTheFileAndTheReason()
    {
        var e = new DocumentReadException("plan.pdf", "encrypted");
        Assert.Equal("plan.pdf: encrypted", e.Message);
        Assert.Equal("encrypted", e.Reason);
    }
}
