using System.Buffers;
using WarpDrive.Compression.DataPath;
using WarpDrive.Compression.OneShot;

namespace WarpDrive.Compression;

/// <summary>
/// Decompresses zlib (RFC 1950) from spans through WarpDrive: one-shot (<see cref="TryDecompress(ReadOnlySpan{byte}, Span{byte}, out int)"/>)
/// or incrementally (<see cref="Decompress"/>), in the shape of System.IO.Compression's <c>BrotliDecoder</c>.
/// Checksums are verified; corrupt data is <see cref="OperationStatus.InvalidData"/>.
/// </summary>
public sealed class WarpDriveZLibDecoder : IDisposable
{
    private readonly IncrementalDecoder _decoder = new(DeflateFormat.ZLib);

    /// <summary>
    /// Takes all of <paramref name="source"/> and writes decompressed bytes: <see cref="OperationStatus.Done"/> at
    /// the end of the stream, <see cref="OperationStatus.NeedMoreData"/> when more input is needed,
    /// <see cref="OperationStatus.DestinationTooSmall"/> when <paramref name="destination"/> filled (call again),
    /// <see cref="OperationStatus.InvalidData"/> for corrupt data.
    /// </summary>
    public OperationStatus Decompress(ReadOnlySpan<byte> source, Span<byte> destination, out int bytesConsumed, out int bytesWritten) =>
        _decoder.Decompress(source, destination, out bytesConsumed, out bytesWritten);

    /// <summary>Decompresses a whole stream in one call; false when <paramref name="destination"/> is too small.</summary>
    /// <exception cref="InvalidDataException">The data is corrupt or truncated.</exception>
    public static bool TryDecompress(ReadOnlySpan<byte> source, Span<byte> destination, out int bytesWritten) =>
        OneShotCodec.TryDecompress(DeflateFormat.ZLib, source, destination, out bytesWritten, null);

    /// <summary>Decompresses a whole stream in one call with explicit options; false when <paramref name="destination"/> is too small.</summary>
    /// <exception cref="InvalidDataException">The data is corrupt or (unless the options say otherwise) truncated.</exception>
    public static bool TryDecompress(ReadOnlySpan<byte> source, Span<byte> destination, out int bytesWritten, WarpDriveCompressionOptions? options) =>
        OneShotCodec.TryDecompress(DeflateFormat.ZLib, source, destination, out bytesWritten, options);

    /// <summary>Frees the decoder's buffers.</summary>
    public void Dispose() => _decoder.Dispose();
}
