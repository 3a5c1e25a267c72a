using System.Text;
using Baimo.Knowledge.Documents;
using Baimo.Knowledge.Readers;

namespace Baimo.Knowledge.Tests.Readers;

public class DocumentReadersTests
{
    [Theory]
    [InlineData("a.txt", typeof(PlainTextReader))]
    [InlineData("b.MD", typeof(MarkdownReader))]
    [InlineData("c.htm", typeof(HtmlReader))]
    [InlineData("d.html", typeof(HtmlReader))]
    [InlineData("e.pdf", typeof(PdfReader))]
    [InlineData("f.docx", typeof(DocxReader))]
    [InlineData("g.xlsx", typeof(XlsxReader))]
    [InlineData("h.pptx", typeof(PptxReader))]
    [InlineData("i.csv", typeof(CsvReader))]
    [InlineData("j.json", typeof(JsonReader))]
    [InlineData(".pdf", typeof(PdfReader))]
    public void ReadersAreFoundByExtension(string name, Type expected) =>
        Assert.IsType(expected, DocumentReaders.Default.For(name));

    [Fact]
    public void UnsupportedTypesAreRefusedReadably()
    {
        Assert.False(DocumentReaders.Default.IsSupported("movie.mp4"));
        var e = Assert.Throws<DocumentReadException>(() => DocumentReaders.Default.Read(new MemoryStream([1, 2]), "movie.mp4"));
        Assert.Equal("unsupported file type \".mp4\"", e.Reason);
    }

    [Fact]
    public void AReaderBugStillSurfacesAsAReadError()
    {
        var readers = new DocumentReaders([new ThrowingReader()]);
        var e = Assert.Throws<DocumentReadException>(() => readers.Read(new MemoryStream([]), "x.boom"));
        Assert.Equal("could not be read: index out of range", e.Reason);
        Assert.IsType<IndexOutOfRangeException>(e.InnerException);
    }

    [Fact]
    public void FilesAreReadFromDisk()
    {
        var dir = Directory.CreateTempSubdirectory("baimo-readers-");
        try
        {
            var path = Path.Combine(dir.FullName, "note.md");
            File.WriteAllText(path, "# 标题\n\n正文", Encoding.UTF8);
            var doc = DocumentReaders.Default.Read(path);
            Assert.Equal("标题\n\n正文", doc.Text);
            var missing = Assert.Throws<DocumentReadException>(() => DocumentReaders.Default.Read(Path.Combine(dir.FullName, "gone.pdf")));
            Assert.Equal("gone.pdf", missing.FileName);
            Assert.StartsWith("cannot open the file (", missing.Reason);
        }
        finally { dir.Delete(true); }
    }

    sealed class ThrowingReader : IDocumentReader
    {
        public IReadOnlyCollection<string> Extensions { get; } = [".boom"];
        public ExtractedDocument Read(Stream content, string fileName) => throw new IndexOutOfRangeException("index out of range");
    }
}
