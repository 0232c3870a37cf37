using System.Buffers;
using WarpDrive.Compression.DataPath;
using WarpDrive.Compression.OneShot;

namespace WarpDrive.Compression;

/// <summary>
/// Compresses spans to zlib (RFC 1950) through WarpDrive: one-shot (<see cref="TryCompress(ReadOnlySpan{byte}, Span{byte}, out int, int)"/>)
/// or incrementally (<see cref="Compress"/>, <see cref="Flush"/>), in the shape of System.IO.Compression's
/// <c>BrotliEncoder</c>. The output is the same as <see cref="WarpDriveZLibStream"/> writes.
/// </summary>
public sealed class WarpDriveZLibEncoder : IDisposable
{
    private readonly IncrementalEncoder _encoder;

    /// <summary>An incremental encoder at zlib level <paramref name="level"/> (0–9; default 6).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The level is not 0–9.</exception>
    public WarpDriveZLibEncoder(int level = 6, WarpDriveCompressionOptions? options = null)
    {
        _encoder = new IncrementalEncoder(DeflateFormat.ZLib, level, options);
    }

    /// <summary>
    /// Takes all of <paramref name="source"/> and writes what compressed output is ready; with
    /// <paramref name="isFinalBlock"/>, finishes the stream. <see cref="OperationStatus.DestinationTooSmall"/>
    /// means more output is pending: call again (with an empty source) to drain it.
    /// </summary>
    public OperationStatus Compress(ReadOnlySpan<byte> source, Span<byte> destination, out int bytesConsumed, out int bytesWritten, bool isFinalBlock) =>
        _encoder.Compress(source, destination, out bytesConsumed, out bytesWritten, isFinalBlock);

    /// <summary>Sync flush: everything taken so far becomes decodable output.</summary>
    public OperationStatus Flush(Span<byte> destination, out int bytesWritten) => _encoder.Flush(destination, out bytesWritten);

    /// <summary>Compresses <paramref name="source"/> in one call; false when <paramref name="destination"/> is too small.</summary>
    public static bool TryCompress(ReadOnlySpan<byte> source, Span<byte> destination, out int bytesWritten, int level = 6) =>
        OneShotCodec.TryCompress(DeflateFormat.ZLib, source, destination, out bytesWritten, level, null);

    /// <summary>Compresses <paramref name="source"/> in one call with explicit options; false when <paramref name="destination"/> is too small.</summary>
    public static bool TryCompress(ReadOnlySpan<byte> source, Span<byte> destination, out int bytesWritten, int level, WarpDriveCompressionOptions? options) =>
        OneShotCodec.TryCompress(DeflateFormat.ZLib, source, destination, out bytesWritten, level, options);

    /// <summary>A destination size <see cref="TryCompress(ReadOnlySpan{byte}, Span{byte}, out int, int)"/> never exceeds for <paramref name="inputLength"/> bytes.</summary>
    public static long GetMaxCompressedLength(long inputLength) => OneShotCodec.GetMaxCompressedLength(DeflateFormat.ZLib, inputLength, null);

    /// <summary>Frees the encoder's buffers (waiting for requests in flight).</summary>
    public void Dispose() => _encoder.Dispose();
}
