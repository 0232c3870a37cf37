using System.IO.Compression;
using System.IO.Pipelines;
using WarpDrive.Compression.DataPath;
using WarpDrive.Compression.Sinks;

namespace WarpDrive.Compression.Pipelines;

/// <summary>
/// The compression pipeline for System.IO.Pipelines users (DESIGN.md, compression data path): a compressing
/// <see cref="PipeWriter"/> and a decompressing <see cref="PipeReader"/> over WarpDrive's streams, so the data
/// takes the same chunked, parallel device path as <see cref="WarpDriveGZipStream"/> and its siblings.
/// </summary>
/// <remarks>
/// <para>
/// Writer: bytes written (<see cref="PipeWriter.GetSpan"/>/<see cref="PipeWriter.Advance"/>) are buffered until
/// <see cref="PipeWriter.FlushAsync"/>, which is a sync flush, as <see cref="Stream.Flush()"/> on the streams and
/// a flush on an ASP.NET Core compressed response: everything written so far reaches the destination, decodable by
/// any reader (for gzip it ends the member). <see cref="PipeWriter.WriteAsync"/> flushes too. Flush at message
/// boundaries, not after every small write: each flush cuts a chunk short and costs ratio. A writer completed
/// without an exception finishes the stream (final block, trailer) and then completes the destination; completed
/// with an exception, it writes nothing more and completes the destination with that exception, so the consumer
/// never sees a truncated stream that looks whole. <see cref="FlushResult.IsCompleted"/> reports that the
/// destination pipe's reader has stopped reading.
/// </para>
/// <para>
/// Reader: reads the compressed source on demand and yields decompressed bytes; bad data surfaces from
/// <see cref="PipeReader.ReadAsync"/> as <see cref="InvalidDataException"/>, and a cancellation token given to
/// <see cref="PipeReader.ReadAsync"/> reaches the read of the source. Completing the reader completes (or
/// disposes) the source.
/// </para>
/// <para>With <c>leaveOpen</c> the destination or source is neither completed nor disposed; its bytes are flushed.</para>
/// </remarks>
public static class WarpDrivePipes
{
    // Writer segments: large enough that a flush hands the compressor a few big writes, not many 4 KiB ones.
    private const int WriterSegmentSize = 64 * 1024;

    // Reader: decompressed bytes per read of the stream, and the least free space worth a read.
    private const int ReaderBufferSize = 64 * 1024;
    private const int ReaderMinimumReadSize = 4 * 1024;

    /// <summary>A writer that compresses into <paramref name="destination"/>.</summary>
    /// <param name="destination">Receives the compressed bytes; each write to it is flushed, so a <see cref="Pipe"/>'s backpressure paces the writer.</param>
    /// <param name="format">deflate, zlib or gzip.</param>
    /// <param name="level">Compression level, mapped onto zlib's as System.IO.Compression does (Optimal 6, Fastest 1, SmallestSize 9, NoCompression 0).</param>
    /// <param name="options">How to use the device pool; null for <see cref="WarpDriveCompressionOptions.Default"/>.</param>
    /// <param name="leaveOpen">Leave <paramref name="destination"/> uncompleted when the writer completes.</param>
    public static PipeWriter CreateCompressingWriter(PipeWriter destination, WarpDrivePipeFormat format,
        CompressionLevel level = CompressionLevel.Optimal, WarpDriveCompressionOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return CreateWriter(new PipeWriterSink(destination, leaveOpen), format, level, options);
    }

    /// <summary>A writer that compresses into <paramref name="destination"/>.</summary>
    /// <param name="destination">A writable stream that receives the compressed bytes.</param>
    /// <param name="format">deflate, zlib or gzip.</param>
    /// <param name="level">Compression level, mapped onto zlib's as System.IO.Compression does (Optimal 6, Fastest 1, SmallestSize 9, NoCompression 0).</param>
    /// <param name="options">How to use the device pool; null for <see cref="WarpDriveCompressionOptions.Default"/>.</param>
    /// <param name="leaveOpen">Leave <paramref name="destination"/> undisposed (flushed) when the writer completes.</param>
    public static PipeWriter CreateCompressingWriter(Stream destination, WarpDrivePipeFormat format,
        CompressionLevel level = CompressionLevel.Optimal, WarpDriveCompressionOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
            throw new ArgumentException("The stream does not support writing.", nameof(destination));
        return CreateWriter(new StreamSink(destination, leaveOpen), format, level, options);
    }

    /// <summary>A reader that yields the decompressed contents of <paramref name="source"/>.</summary>
    /// <param name="source">The compressed bytes.</param>
    /// <param name="format">deflate, zlib or gzip (gzip reads any gzip, indexed members in parallel).</param>
    /// <param name="options">How to use the device pool; null for <see cref="WarpDriveCompressionOptions.Default"/>.</param>
    /// <param name="leaveOpen">Leave <paramref name="source"/> uncompleted when the reader completes.</param>
    public static PipeReader CreateDecompressingReader(PipeReader source, WarpDrivePipeFormat format,
        WarpDriveCompressionOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckFormat(format);
        // The decompressing stream owns the adapter; the adapter completes the source unless leaveOpen.
        return CreateReader(source.AsStream(leaveOpen), format, options, leaveOpen: false);
    }

    /// <summary>A reader that yields the decompressed contents of <paramref name="source"/>.</summary>
    /// <param name="source">A readable stream of compressed bytes.</param>
    /// <param name="format">deflate, zlib or gzip (gzip reads any gzip, indexed members in parallel).</param>
    /// <param name="options">How to use the device pool; null for <see cref="WarpDriveCompressionOptions.Default"/>.</param>
    /// <param name="leaveOpen">Leave <paramref name="source"/> undisposed when the reader completes.</param>
    public static PipeReader CreateDecompressingReader(Stream source, WarpDrivePipeFormat format,
        WarpDriveCompressionOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckFormat(format);
        return CreateReader(source, format, options, leaveOpen);
    }

    private static CompressingPipeWriter CreateWriter(DestinationSink destination, WarpDrivePipeFormat format,
        CompressionLevel level, WarpDriveCompressionOptions? options)
    {
        CheckFormat(format);
        var deflateFormat = format switch
        {
            WarpDrivePipeFormat.GZip => DeflateFormat.GZip,
            WarpDrivePipeFormat.ZLib => DeflateFormat.ZLib,
            _ => DeflateFormat.Deflate,
        };
        var compressor = new ChunkCompressor(destination, deflateFormat, Levels.FromCompressionLevel(level), options ?? WarpDriveCompressionOptions.Default);
        return new CompressingPipeWriter(destination, compressor, WriterSegmentSize);
    }

    private static PipeReader CreateReader(Stream source, WarpDrivePipeFormat format, WarpDriveCompressionOptions? options, bool leaveOpen)
    {
        WarpDriveCompressionStream decompressor = (format, options) switch
        {
            (WarpDrivePipeFormat.GZip, null) => new WarpDriveGZipStream(source, CompressionMode.Decompress, leaveOpen),
            (WarpDrivePipeFormat.GZip, { } o) => new WarpDriveGZipStream(source, CompressionMode.Decompress, o, leaveOpen),
            (WarpDrivePipeFormat.ZLib, null) => new WarpDriveZLibStream(source, CompressionMode.Decompress, leaveOpen),
            (WarpDrivePipeFormat.ZLib, { } o) => new WarpDriveZLibStream(source, CompressionMode.Decompress, o, leaveOpen),
            (_, null) => new WarpDriveDeflateStream(source, CompressionMode.Decompress, leaveOpen),
            (_, { } o) => new WarpDriveDeflateStream(source, CompressionMode.Decompress, o, leaveOpen),
        };
        // Completing the pipe reader disposes the decompressing stream, which releases its buffers and closes the source as asked.
        return PipeReader.Create(decompressor, new StreamPipeReaderOptions(
            bufferSize: ReaderBufferSize, minimumReadSize: ReaderMinimumReadSize, leaveOpen: false));
    }

    private static void CheckFormat(WarpDrivePipeFormat format)
    {
        if (format is not (WarpDrivePipeFormat.Deflate or WarpDrivePipeFormat.ZLib or WarpDrivePipeFormat.GZip))
            throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown compression format.");
    }
}
