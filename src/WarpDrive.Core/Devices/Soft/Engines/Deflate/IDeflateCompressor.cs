namespace WarpDrive.Devices.Soft.Engines.Deflate;

/// <summary>A raw-deflate compressor the soft engine can run a ZIP compress request on: zlib-ng or ISA-L.</summary>
internal interface IDeflateCompressor : IDisposable
{
    /// <summary>
    /// Compresses <c>input</c> into <c>output</c>, ending with a sync flush, or with the final block when
    /// <paramref name="finish"/> is set; <see cref="CodecResult.OutputFull"/> when it could not finish.
    /// </summary>
    CodecResult Run(ReadOnlySpan<byte> input, Span<byte> output, bool finish, out int consumed, out int produced);

    /// <summary>Primes a new stream's window with bytes the decoder already holds (the previous chunk's tail).</summary>
    void Prime(ReadOnlySpan<byte> dictionary);
}
