using WarpDrive.Scheduling;

namespace WarpDrive.Compression;

/// <summary>How WarpDrive's compression streams and encoders use the device pool.</summary>
public sealed class WarpDriveCompressionOptions
{
    /// <summary>The smallest chunk size: 64 KiB.</summary>
    public const int MinChunkSize = 64 * 1024;

    /// <summary>The largest chunk size: 8 MiB minus the 32 KiB dictionary, the device's per-request limit.</summary>
    public const int MaxChunkSize = (8 << 20) - (32 * 1024) - (64 * 1024);

    /// <summary>Shared defaults, used when a stream is built without options.</summary>
    public static WarpDriveCompressionOptions Default { get; } = new();

    /// <summary>The pool requests run on. Default: <see cref="WarpDriveCompression.SharedPool"/>.</summary>
    public AcceleratorPool? Pool { get; set; }

    /// <summary>Input bytes per compress request. Default 1 MiB.</summary>
    public int ChunkSize { get; set; } = 1 << 20;

    /// <summary>
    /// Requests one stream keeps in flight. Default four per core, at least 4 and at most 16: enough that the
    /// device never waits for the writer to collect a completion.
    /// </summary>
    public int MaxInFlight { get; set; } = Math.Clamp(4 * Environment.ProcessorCount, 4, 16);

    /// <summary>
    /// Uncompressed bytes per gzip member (a whole number of chunks). Members are independent, so a reader can
    /// decompress them in parallel; chunks within one are primed with the previous 32 KiB. Default 4 MiB, at most 16 MiB.
    /// </summary>
    public int GzipMemberSize { get; set; } = 4 << 20;

    /// <summary>Write the <c>'W','D'</c> member index into each gzip member's FEXTRA field. Default true.</summary>
    public bool WriteMemberIndex { get; set; } = true;

    /// <summary>Decompress indexed gzip members as parallel requests. Default true.</summary>
    public bool ParallelDecompression { get; set; } = true;

    /// <summary>How data without a member index is decompressed. Default <see cref="StreamDecompressionMode.Auto"/>.</summary>
    public StreamDecompressionMode StreamDecompression { get; set; } = StreamDecompressionMode.Auto;

    /// <summary>
    /// Throw <see cref="InvalidDataException"/> when the compressed input ends before the stream does. Default
    /// true; false restores System.IO.Compression's lenient behaviour (a short read, no exception).
    /// </summary>
    public bool ThrowOnTruncatedInput { get; set; } = true;

    internal AcceleratorPool ResolvePool() => Pool ?? WarpDriveCompression.SharedPool;

    internal void Validate()
    {
        if (!Enum.IsDefined(StreamDecompression))
            throw new ArgumentOutOfRangeException(nameof(StreamDecompression), StreamDecompression, "Not a stream decompression mode.");
        ArgumentOutOfRangeException.ThrowIfLessThan(ChunkSize, MinChunkSize, nameof(ChunkSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ChunkSize, MaxChunkSize, nameof(ChunkSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxInFlight, 1, nameof(MaxInFlight));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxInFlight, 64, nameof(MaxInFlight));
        ArgumentOutOfRangeException.ThrowIfLessThan(GzipMemberSize, ChunkSize, nameof(GzipMemberSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(GzipMemberSize, 16 << 20, nameof(GzipMemberSize));
    }
}
