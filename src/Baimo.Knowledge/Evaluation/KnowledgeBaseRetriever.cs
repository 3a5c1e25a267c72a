using Baimo.Knowledge.Documents;
using Baimo.Knowledge.Retrieval;

namespace Baimo.Knowledge.Evaluation;

/// <summary>Evaluates a <see cref="KnowledgeBase"/> in one search mode; also loads SQuAD passages into a base.</summary>
public sealed class KnowledgeBaseRetriever(KnowledgeBase knowledgeBase, SearchMode mode, string name) : IEvalRetriever
{
    public string Name => name;

    public async Task<IReadOnlyList<string>> RetrieveAsync(string question, int k, CancellationToken cancellationToken)
    {
        var hits = await knowledgeBase.SearchAsync(question, k, null, mode, cancellationToken).ConfigureAwait(false);
        return hits.Select(h => h.Text).ToList();
    }

    /// <summary>Adds every passage as a document titled with its article title, one paragraph block per line.</summary>
    public static async Task IngestAsync(KnowledgeBase knowledgeBase, IEnumerable<SquadPassage> passages,
        CancellationToken cancellationToken = default)
    {
        foreach (var p in passages)
        {
            var doc = ToDocument(p);
            string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(p.Context)));
            await knowledgeBase.AddDocumentAsync(p.Id + ".txt", hash, doc, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The passage as a reader of a plain-text file would extract it.</summary>
    public static ExtractedDocument ToDocument(SquadPassage passage)
    {
        var blocks = new List<DocumentBlock>();
        var parts = new List<string>();
        int offset = 0;
        foreach (var line in passage.Context.Split('\n'))
        {
            var text = line.Trim();
            if (text.Length == 0) continue;
            if (parts.Count > 0) offset += 2;
            blocks.Add(new DocumentBlock(BlockKind.Paragraph, text, offset, text.Length));
            parts.Add(text);
            offset += text.Length;
        }
        return new ExtractedDocument(string.Join("\n\n", parts), blocks, [], passage.Title.Length > 0 ? passage.Title : null);
    }
}
