using Baimo.Tokenizers.Unicode;

namespace Baimo.Tokenizers;

/// <summary>
/// GPT-2 byte-level alphabet: every byte maps to a printable code point (printable Latin-1 bytes map to themselves,
/// the others to U+0100 onwards in byte order).
/// </summary>
internal static class ByteLevel
{
    /// <summary>Byte → code point.</summary>
    public static readonly int[] ByteToChar = BuildByteToChar();

    /// <summary>Code point (&lt; 0x200) → byte, or -1.</summary>
    private static readonly short[] s_charToByte = BuildCharToByte();

    /// <summary>UTF-8 bytes of <see cref="ByteToChar"/> for each byte, packed as (length, b0, b1).</summary>
    public static readonly byte[][] ByteToUtf8 = BuildByteToUtf8();

    private static int[] BuildByteToChar()
    {
        var map = new int[256];
        var assigned = new bool[256];
        for (int b = 0x21; b <= 0x7E; b++) { map[b] = b; assigned[b] = true; }
        for (int b = 0xA1; b <= 0xAC; b++) { map[b] = b; assigned[b] = true; }
        for (int b = 0xAE; b <= 0xFF; b++) { map[b] = b; assigned[b] = true; }
        int next = 256;
        for (int b = 0; b < 256; b++) if (!assigned[b]) map[b] = next++;
        return map;
    }

    private static short[] BuildCharToByte()
    {
        var inv = new short[0x200];
        Array.Fill(inv, (short)-1);
        for (int b = 0; b < 256; b++) inv[ByteToChar[b]] = (short)b;
        return inv;
    }

    private static byte[][] BuildByteToUtf8()
    {
        var r = new byte[256][];
        Span<byte> tmp = stackalloc byte[4];
        for (int b = 0; b < 256; b++)
        {
            int n = Cpt.EncodeUtf8(ByteToChar[b], tmp);
            r[b] = tmp[..n].ToArray();
        }
        return r;
    }

    public static int CharToByte(int cp) => (uint)cp < 0x200 ? s_charToByte[cp] : -1;

    /// <summary>Appends the byte-level encoding of raw bytes (UTF-8 of the mapped characters).</summary>
    public static void Encode(ReadOnlySpan<byte> raw, ByteBuffer dst)
    {
        foreach (byte b in raw) dst.Append(ByteToUtf8[b]);
    }

    /// <summary>
    /// Maps a byte-level token text back to raw bytes. A character outside the alphabet is written as
    /// <c>[UNK_BYTE_0x…&lt;text&gt;]</c>, as the reference does.
    /// </summary>
    public static void DecodeText(ReadOnlySpan<byte> text, ByteBuffer dst)
    {
        int offset = 0;
        Span<byte> tmp = stackalloc byte[4];
        while (offset < text.Length)
        {
            int cp = Cpt.DecodeUtf8(text, ref offset);
            int b = CharToByte(cp);
            if (b >= 0) { dst.Append((byte)b); continue; }
            dst.Append("[UNK_BYTE_0x"u8);
            int n = Cpt.EncodeUtf8(cp, tmp);
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<byte> hex = "0123456789abcdef"u8;
                dst.Append(hex[tmp[i] >> 4]);
                dst.Append(hex[tmp[i] & 15]);
            }
            dst.Append(text);
            dst.Append((byte)']');
        }
    }
}
