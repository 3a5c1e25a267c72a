namespace Baimo.Knowledge.Tests.Readers;

/// <summary>Broken inputs shared by the .docx, .xlsx and .pptx tests.</summary>
public static class OfficeFiles
{
    /// <summary>The first third of a valid package: the central directory at the end of the zip is gone.</summary>
    public static byte[] Truncated(byte[] package) => package[..(package.Length / 3)];

    public static byte[] RandomBytes(int seed)
    {
        var bytes = new byte[2048];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A zip signature followed by garbage: looks like a package until it is parsed.</summary>
    public static byte[] ZipHeaderThenGarbage(int seed)
    {
        var bytes = RandomBytes(seed);
        new byte[] { 0x50, 0x4B, 0x03, 0x04 }.CopyTo(bytes, 0);
        return bytes;
    }

    /// <summary>Office saves a password-protected file as an OLE compound file; its signature is enough to tell.</summary>
    public static byte[] CompoundFile()
    {
        var bytes = new byte[1024];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(bytes, 0);
        return bytes;
    }
}
