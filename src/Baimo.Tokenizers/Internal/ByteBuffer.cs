using System.Runtime.CompilerServices;

namespace Baimo.Tokenizers;

/// <summary>A growable byte buffer reused across calls (not thread-safe).</summary>
internal sealed class ByteBuffer
{
    private byte[] _data;
    private int _length;

    public ByteBuffer(int capacity = 256) => _data = new byte[Math.Max(16, capacity)];

    public int Length => _length;
    public Span<byte> Span => _data.AsSpan(0, _length);
    public byte[] RawArray => _data;

    public void Clear() => _length = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append(byte b)
    {
        if (_length == _data.Length) Grow(1);
        _data[_length++] = b;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _data.Length) Grow(bytes.Length);
        bytes.CopyTo(_data.AsSpan(_length));
        _length += bytes.Length;
    }

    public void SetLength(int length)
    {
        if (length > _data.Length) Grow(length - _length);
        _length = length;
    }

    private void Grow(int extra)
    {
        int size = Math.Max(_data.Length * 2, _length + extra);
        Array.Resize(ref _data, size);
    }
}

/// <summary>Equality over byte arrays with span lookups (no allocation on lookup).</summary>
internal sealed class ByteArrayComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static readonly ByteArrayComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));
    public int GetHashCode(byte[] obj) => Hash(obj);
    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);
    public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);
    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Hash(ReadOnlySpan<byte> s)
    {
        ulong h = 0xcbf29ce484222325UL ^ (ulong)s.Length;
        int i = 0;
        for (; i + 8 <= s.Length; i += 8)
        {
            h ^= Unsafe.ReadUnaligned<ulong>(ref Unsafe.AsRef(in s[i]));
            h *= 0x100000001b3UL;
            h ^= h >> 29;
        }
        for (; i < s.Length; i++)
        {
            h ^= s[i];
            h *= 0x100000001b3UL;
        }
        h ^= h >> 32;
        h *= 0x9E3779B97F4A7C15UL;
        return (int)(h >> 32);
    }
}

/// <summary>Maps token texts (UTF-8) to ids.</summary>
internal sealed class TokenMap
{
    private readonly Dictionary<byte[], int> _map;
    private readonly Dictionary<byte[], int>.AlternateLookup<ReadOnlySpan<byte>> _lookup;

    public TokenMap(int capacity)
    {
        _map = new Dictionary<byte[], int>(capacity, ByteArrayComparer.Instance);
        _lookup = _map.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>Adds or replaces (a later duplicate wins).</summary>
    public void Set(byte[] text, int id) => _map[text] = id;

    public int Count => _map.Count;

    /// <summary>Id of the token with exactly this text, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(ReadOnlySpan<byte> text) => _lookup.TryGetValue(text, out int id) ? id : -1;

    public IEnumerable<KeyValuePair<byte[], int>> Entries => _map;
}
