namespace WarpDrive.Compression.Sinks;

/// <summary>Compressed output written to a <see cref="Stream"/>; a stream takes everything or throws.</summary>
internal sealed class StreamSink(Stream stream, bool leaveOpen) : DestinationSink(leaveOpen)
{
    public override bool Write(ReadOnlySpan<byte> data)
    {
        stream.Write(data);
        return true;
    }

    public override async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public override bool Flush()
    {
        stream.Flush();
        return true;
    }

    public override async ValueTask<bool> FlushAsync(CancellationToken cancellationToken)
    {
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public override async ValueTask FinishAsync()
    {
        await stream.FlushAsync().ConfigureAwait(false);
        if (!LeaveOpen)
            await stream.DisposeAsync().ConfigureAwait(false);
    }

    public override ValueTask FailAsync(Exception exception) => LeaveOpen ? default : stream.DisposeAsync();
}
