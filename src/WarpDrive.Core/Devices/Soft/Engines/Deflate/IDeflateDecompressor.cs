namespace WarpDrive.Devices.Soft.Engines.Deflate;

/// <summary>A raw-deflate decompressor that resumes across calls: zlib-ng, or SharpZipLib as the managed fallback.</summary>
internal interface IDeflateDecompressor : IDisposable
{
    /// <summary>
    /// Inflates from <c>input</c> into <c>output</c>: <see cref="CodecResult.StreamEnd"/> at the end of the deflate
    /// stream (bytes after it not consumed), <see cref="CodecResult.Done"/> when the input ran out first,
    /// <see cref="CodecResult.OutputFull"/> when the output did, <see cref="CodecResult.DataError"/> on invalid data.
    /// </summary>
    CodecResult Run(ReadOnlySpan<byte> input, Span<byte> output, bool finish, out int consumed, out int produced);

    /// <summary>Makes the decompressor ready for a new deflate stream.</summary>
    void Reset();
}
