namespace WarpDrive.Compression.Sinks;

/// <summary>
/// Where <see cref="DataPath.ChunkCompressor"/> writes its output: a stream, a pipe's memory, a caller's span. A sink
/// that can take no more (a full span, a pipe whose reader has completed) says so by returning false rather than
/// throwing, and the compressor stops writing: for the one-shot API a full destination is an ordinary outcome.
/// </summary>
/// <remarks>
/// Each write has a synchronous and an asynchronous form, as <see cref="Stream"/> does; the compressor picks one per
/// operation (a stream's <c>Write</c> or <c>WriteAsync</c>), so a synchronous caller never waits on a task.
/// </remarks>
internal abstract class CompressedSink
{
    /// <summary>Writes <paramref name="data"/> on the calling thread; false when the sink takes nothing more.</summary>
    public abstract bool Write(ReadOnlySpan<byte> data);

    /// <summary>Writes <paramref name="data"/>; false when the sink takes nothing more.</summary>
    public abstract ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Pushes what was written on to its reader (a sync flush's last step); false when the sink takes nothing more.</summary>
    public virtual bool Flush() => true;

    /// <inheritdoc cref="Flush" />
    public virtual ValueTask<bool> FlushAsync(CancellationToken cancellationToken) => new(true);
}
