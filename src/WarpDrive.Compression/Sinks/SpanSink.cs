namespace WarpDrive.Compression.Sinks;

/// <summary>
/// Compressed output written into a caller's span, which the one-shot caller keeps pinned (<c>fixed</c>) for the
/// sink's whole life: a class cannot hold the span itself. A write that does not fit is refused whole and the sink
/// stays full, so the caller reports a too-small destination as <c>false</c>.
/// </summary>
internal sealed unsafe class SpanSink(byte* start, int capacity) : CompressedSink
{
    /// <summary>Bytes written so far.</summary>
    public int Written { get; private set; }

    /// <summary>A write did not fit: the output is incomplete.</summary>
    public bool Full { get; private set; }

    public override bool Write(ReadOnlySpan<byte> data)
    {
        if (Full || data.Length > capacity - Written)
        {
            Full = true;
            return false;
        }
        data.CopyTo(new Span<byte>(start + Written, capacity - Written));
        Written += data.Length;
        return true;
    }

    public override ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => new(Write(data.Span));
}
