namespace WarpDrive.Compression.Sinks;

/// <summary>
/// Compressed output an incremental encoder holds until its caller's spans take it: a growable buffer, drained in
/// order. It takes everything; the encoder reports what did not fit the caller's span as
/// <see cref="System.Buffers.OperationStatus.DestinationTooSmall"/>.
/// </summary>
internal sealed class PendingSink : CompressedSink
{
    private byte[] _buffer = new byte[4096];
    private int _start, _end;

    public int Pending => _end - _start;

    public override bool Write(ReadOnlySpan<byte> data)
    {
        if (_buffer.Length - _end < data.Length)
        {
            var bigger = _buffer.Length >= Pending + data.Length ? _buffer : new byte[Math.Max(_buffer.Length * 2, Pending + data.Length)];
            _buffer.AsSpan(_start, Pending).CopyTo(bigger);
            _end = Pending;
            _start = 0;
            _buffer = bigger;
        }
        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
        return true;
    }

    public override ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => new(Write(data.Span));

    /// <summary>Moves as much pending output as fits into <paramref name="destination"/>; returns how much.</summary>
    public int Drain(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, Pending);
        _buffer.AsSpan(_start, n).CopyTo(destination);
        _start += n;
        if (_start == _end)
            _start = _end = 0;
        return n;
    }
}
