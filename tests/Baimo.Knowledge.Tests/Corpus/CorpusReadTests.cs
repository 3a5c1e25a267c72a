using System.Diagnostics;
using Baimo.Knowledge.Documents;
using Baimo.Knowledge.Readers;
using Baimo.Knowledge.Tests.Readers;
using Xunit.Abstractions;

namespace Baimo.Knowledge.Tests.Corpus;

public class CorpusReadTests(ITestOutputHelper output)
{
    [Fact]
    public void ThousandsOfMixedDocumentsAllReadBack()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"baimo-corpus-{Environment.ProcessId}");
        try
        {
            var files = CorpusGenerator.Generate(folder, 1200, seed: 20260101);
            Assert.Equal(1200, Directory.GetFiles(folder).Length);

            var readers = DocumentReaders.Default;
            var blocksByKind = new Dictionary<BlockKind, int>();
            long pages = 0, chars = 0;
            var perFile = new double[files.Count];
            var docs = new List<ExtractedDocument>(files.Count);
            for (int i = 0; i < files.Count; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                docs.Add(readers.Read(files[i].Path)); // throws on the first unreadable file
                perFile[i] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            }

            for (int i = 0; i < files.Count; i++)
            {
                var (file, doc) = (files[i], docs[i]);
                ReaderAssert.Contract(doc);
                Assert.NotEmpty(doc.Blocks);
                foreach (var paragraph in file.Paragraphs)
                    Assert.True(doc.Text.Contains(paragraph, StringComparison.Ordinal), $"{file.Path}: lost \"{paragraph}\"");
                if (file.HasTable) Assert.Contains(doc.Blocks, b => b.Kind == BlockKind.TableRow && b.TableHeader is not null);
                if (file.HasList) Assert.Contains(doc.Blocks, b => b.Kind == BlockKind.ListItem);
                Assert.Equal(file.BlankPages, doc.Warnings.Count);
                Assert.Contains(doc.Blocks, b => b.Kind == BlockKind.Heading);
                foreach (var b in doc.Blocks) blocksByKind[b.Kind] = blocksByKind.GetValueOrDefault(b.Kind) + 1;
                pages += doc.Pages;
                chars += doc.Text.Length;
            }

            double seconds = perFile.Sum();
            output.WriteLine($"{files.Count} files, {pages} pages/sheets/slides, {chars / 1e6:F1} M chars, " +
                             $"{blocksByKind.Values.Sum()} blocks ({string.Join(", ", blocksByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))})");
            output.WriteLine($"read in {seconds:F2} s: {files.Count / seconds:F0} files/s, {pages / seconds:F0} pages/s");
            foreach (var group in Enumerable.Range(0, files.Count).GroupBy(i => Path.GetExtension(files[i].Path)))
            {
                double s = group.Sum(i => perFile[i]);
                int p = group.Sum(i => docs[i].Pages);
                output.WriteLine($"  {group.Key}: {group.Count()} files, {p} pages, {group.Sum(i => docs[i].Blocks.Count)} blocks, " +
                                 $"{s:F2} s = {group.Count() / s:F0} files/s, {p / s:F0} pages/s");
            }
            Assert.True(files.Count(f => f.Chinese) > 400);
            Assert.True(files.Count(f => f.BlankPages > 0) > 0);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }
}
