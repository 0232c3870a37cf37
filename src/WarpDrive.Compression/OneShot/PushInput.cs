namespace WarpDrive.Compression.OneShot;

/// <summary>
/// Input pushed by an incremental decoder: reads return what was pushed, and running dry mid-stream throws
/// <see cref="NeedMoreDataException"/>, which the decoder reports as <see cref="System.Buffers.OperationStatus.NeedMoreData"/>.
/// </summary>
internal sealed class PushInput : Stream
{
    private byte[] _buffer = new byte[4096];
    private int _start, _end;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_start == _end)
            throw new NeedMoreDataException();
        int n = Math.Min(buffer.Length, _end - _start);
        _buffer.AsSpan(_start, n).CopyTo(buffer);
        _start += n;
        return n;
    }

    public void Push(ReadOnlySpan<byte> data)
    {
        if (_start == _end)
            _start = _end = 0;
        if (_buffer.Length - _end < data.Length)
        {
            var bigger = new byte[Math.Max(_buffer.Length * 2, _end - _start + data.Length)];
            _buffer.AsSpan(_start, _end - _start).CopyTo(bigger);
            _end -= _start;
            _start = 0;
            _buffer = bigger;
        }
        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }
}

/// <summary>The pushed input ran dry before the compressed stream ended.</summary>
internal sealed class NeedMoreDataException : Exception
{
    public NeedMoreDataException()
        : base("More compressed data is needed.")
    {
    }
}
