namespace Baimo.Formats.Gguf;

/// <summary>
/// A write-only pass-through that counts bytes, so offsets and padding can be computed on non-seekable
/// streams. Over a seekable stream a tensor writer may skip forward (leaving a hole, e.g. a sparse file).
/// </summary>
internal sealed class CountingStream(Stream inner) : Stream
{
    public long Written { get; private set; }
    public override bool CanRead => false;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => true;
    public override long Length => Written;
    public override long Position { get => Written; set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin)
    {
        if (!inner.CanSeek || origin != SeekOrigin.Current || offset < 0)
            throw new NotSupportedException("only forward seeks relative to the current position are supported");
        inner.Seek(offset, SeekOrigin.Current);
        Written += offset;
        return Written;
    }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        Written += buffer.Length;
    }

    public override void WriteByte(byte value)
    {
        inner.WriteByte(value);
        Written++;
    }
}
