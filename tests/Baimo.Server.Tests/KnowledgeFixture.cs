using Baimo.AI;
using Baimo.Knowledge;
using Baimo.Knowledge.Documents;
using Baimo.Models;

namespace Baimo.Server.Tests;

/// <summary>
/// A scratch knowledge folder with two bases — "handbook" (full text only, English and Chinese documents) and
/// "vectors" (built with the synthetic BERT model) — and a server over stories260K answering from it.
/// </summary>
public sealed class KnowledgeFixture : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "baimo-kbserver-" + Guid.NewGuid().ToString("N"));
    public TestServerHost Host { get; private set; } = null!;
    public HttpClient Client => Host.Client;

    public static readonly (string Source, string Heading, string Body)[] Documents =
    [
        ("travel/hotels.md", "Hotels", "Hotel rooms are reimbursed up to 180 euros per night. Book through the travel desk and keep the invoice."),
        ("travel/flights.md", "Flights", "Economy class is the rule for flights shorter than six hours. Business class needs approval from a director."),
        ("hr/leave.md", "年假", "员工每年享有十五天带薪年假。年假需要提前两周向经理申请。"),
        ("hr/laptops.txt", "Laptops", "Every engineer receives a laptop with thirty-two gigabytes of memory. Lost laptops must be reported within a day."),
        ("kitchen/coffee.md", "Coffee", "The coffee machine on the third floor is descaled every Friday morning by the facilities team."),
    ];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        using (var kb = KnowledgeBase.Create(Path.Combine(Root, "handbook.kb.sqlite")))
            await AddAllAsync(kb);
        var bert = TestServerHost.EmbeddingModel;
        using (var encoder = ModelRegistry.LoadEncoder(bert))
        using (var generator = new BaimoEmbeddingGenerator(encoder, bert))
        using (var kb = KnowledgeBase.Create(Path.Combine(Root, "vectors.kb.sqlite"), new KnowledgeBaseOptions { Embeddings = generator, EmbeddingModel = bert }))
            await AddAllAsync(kb);
        Host = await TestServerHost.StartAsync(o => o with { KnowledgeRoot = Root, EmbeddingModelPath = null });
    }

    private static async Task AddAllAsync(KnowledgeBase kb)
    {
        foreach (var (source, heading, body) in Documents)
            await kb.AddDocumentAsync(source, source, Document(heading, body));
    }

    /// <summary>A heading and a paragraph, laid out as the readers lay out blocks.</summary>
    public static ExtractedDocument Document(string heading, string body)
    {
        var text = heading + "\n\n" + body;
        DocumentBlock[] blocks =
        [
            new(BlockKind.Heading, heading, 0, heading.Length, Level: 1),
            new(BlockKind.Paragraph, body, heading.Length + 2, body.Length),
        ];
        return new ExtractedDocument(text, blocks, []);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
