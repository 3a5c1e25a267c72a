using System.Xml;
using Baimo.Knowledge.Documents;
using DocumentFormat.OpenXml.Packaging;

namespace Baimo.Knowledge.Readers;

/// <summary>
/// Opening an Office Open XML package (.docx, .xlsx, .pptx) with failures turned into readable reasons: a
/// password-protected Office file is not a zip at all but an OLE compound file, which is also what the legacy
/// binary formats are, so the signature tells the user more than the zip library's exception would.
/// </summary>
static class OfficePackage
{
    static ReadOnlySpan<byte> ZipSignature => [0x50, 0x4B, 0x03, 0x04];
    static ReadOnlySpan<byte> CompoundFileSignature => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    public static ExtractedDocument Read<TPackage>(Stream content, string fileName, string format,
        Func<Stream, TPackage> open, Func<TPackage, ExtractedDocument> extract)
        where TPackage : IDisposable
    {
        var bytes = TextDecoder.ReadBytes(content);
        if (bytes.AsSpan().StartsWith(CompoundFileSignature))
            throw new DocumentReadException(fileName,
                $"password-protected (encrypted) or a legacy binary Office file; save it as an unprotected {format} first");
        if (!bytes.AsSpan().StartsWith(ZipSignature))
            throw new DocumentReadException(fileName, $"not a {format} file (it is not a zip package)");
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using var package = open(stream);
            return extract(package);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or OpenXmlPackageException or XmlException
                                       or InvalidOperationException or ArgumentException or FormatException)
        {
            throw new DocumentReadException(fileName, $"the {format} file is damaged or incomplete ({e.Message})", e);
        }
    }
}
