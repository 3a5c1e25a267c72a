using System.Text;
using Baimo.Knowledge.Documents;

namespace Baimo.Knowledge.Readers;

/// <summary>
/// Turns the bytes of a text file into a string: a BOM decides when present (UTF-8, UTF-16 LE/BE, UTF-32 LE);
/// otherwise strict UTF-8 is tried and, when the bytes are not valid UTF-8, GB18030 — the superset of GBK and
/// GB2312 that Chinese Windows tools still write by default for .txt and .csv.
/// </summary>
public static class TextDecoder
{
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// GB18030 comes from System.Text.Encoding.CodePages, which ships in the .NET 10 shared framework. Asking the
    /// provider directly avoids registering it process-wide behind the host's back.
    /// </summary>
    public static readonly Encoding Gb18030 =
        CodePagesEncodingProvider.Instance.GetEncoding(54936)
        ?? throw new InvalidOperationException("GB18030 (code page 54936) is not available");

    public static string ReadAll(Stream content, string fileName) => Decode(ReadBytes(content), fileName);

    public static byte[] ReadBytes(Stream content)
    {
        using var ms = new MemoryStream();
        content.CopyTo(ms);
        return ms.ToArray();
    }

    /// <summary>An encoding by its web name ("gbk", "big5", "shift_jis"), or null when neither .NET nor the code-page provider knows it.</summary>
    public static Encoding? ByName(string name)
    {
        try { return CodePagesEncodingProvider.Instance.GetEncoding(name) ?? Encoding.GetEncoding(name); }
        catch (ArgumentException) { return null; }
    }

    public static string Decode(ReadOnlySpan<byte> bytes, string fileName) => Decode(bytes, fileName, null, out _);

    /// <param name="bytes">The whole file.</param>
    /// <param name="fileName">For error messages.</param>
    /// <param name="fallback">Used instead of GB18030 when the bytes are not UTF-8 (an HTML meta charset).</param>
    /// <param name="encoding">The encoding that was used.</param>
    public static string Decode(ReadOnlySpan<byte> bytes, string fileName, Encoding? fallback, out Encoding encoding)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            encoding = Encoding.UTF8;
            return Strict(StrictUtf8, bytes[3..], fileName, "UTF-8");
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            encoding = Encoding.UTF32;
            return Strict(new UTF32Encoding(false, false, true), bytes[4..], fileName, "UTF-32");
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            encoding = Encoding.Unicode;
            return Strict(new UnicodeEncoding(false, false, true), bytes[2..], fileName, "UTF-16");
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            encoding = Encoding.BigEndianUnicode;
            return Strict(new UnicodeEncoding(true, false, true), bytes[2..], fileName, "UTF-16");
        }
        // A NUL byte never occurs in UTF-8 or GB18030 text; without a BOM it means a binary file (or BOM-less
        // UTF-16, which no common editor writes) and decoding it would index garbage.
        if (bytes.IndexOf((byte)0) >= 0)
            throw new DocumentReadException(fileName, "binary content (NUL bytes), not a text file");
        try
        {
            encoding = Encoding.UTF8;
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            encoding = fallback ?? Gb18030;
            return encoding.GetString(bytes);
        }
    }

    static string Strict(Encoding encoding, ReadOnlySpan<byte> bytes, string fileName, string name)
    {
        try { return encoding.GetString(bytes); }
        catch (DecoderFallbackException)
        {
            throw new DocumentReadException(fileName, $"the file starts with a {name} byte-order mark but is not valid {name}");
        }
    }
}
