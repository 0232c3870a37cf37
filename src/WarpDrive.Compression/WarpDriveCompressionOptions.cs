using WarpDrive.Scheduling;

namespace WarpDrive.Compression;

/// <summary>How WarpDrive's compression streams and encoders use the device pool.</summary>
public sealed class WarpDriveCompressionOptions
{
    /// <summary>The smallest chunk size: 64 KiB.</summary>
    public const int MinChunkSize = 64 * 1024;

    /// <summary>The largest chunk size: 8 MiB minus the 32 KiB dictionary, the device's per-request limit.</summary>
    public const int MaxChunkSize = (8 << 20) - (32 * 1024) - (64 * 1024);

    /// <summary>The largest independent block: 16 MiB, what a reader holds per block in flight.</summary>
    public const int MaxIndependentBlockSize = 16 << 20;

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
    /// Uncompressed bytes per independent block of gzip output: at each block boundary the compressor drops its
    /// 32 KiB dictionary, so a reader can start decompressing there and WarpDrive's reader decompresses blocks in
    /// parallel. Chunks inside a block are primed with the previous 32 KiB. At the default 4 MiB, level-6 gzip of
    /// text stays at 1.0020× DeflateStream's size (<c>warpdrive bench compress</c>); at most 16 MiB. With <see cref="GzipMultiMember"/>, each block is one gzip member.
    /// </summary>
    public int IndependentBlockSize { get; set; } = 4 << 20;

    /// <summary>
    /// Mark each independent block so WarpDrive's reader finds it (default true). In single-member output the
    /// header carries a <c>'W','B'</c> FEXTRA subfield with <see cref="IndependentBlockSize"/> and each block
    /// after the first starts with an empty stored block (5 bytes), which every inflater skips; in multi-member
    /// output each member carries the <c>'W','D'</c> member index (its length and uncompressed size). A single-member
    /// stream whose first chunk ended early at a flush (a response, a stream of events) is left unmarked.
    /// </summary>
    public bool MarkIndependentBlocks { get; set; } = true;

    /// <summary>
    /// Write each independent block of gzip output as its own gzip member, and end a member on every
    /// <see cref="Stream.Flush()"/>. Default false: one member per stream, as GZipStream, gzip and pigz write.
    /// Multi-member gzip is standard (RFC 1952) and gzip, pigz and System.IO.Compression read it whole, but HTTP
    /// clients built on zlib's inflate (curl, browsers) stop after the first member and <c>gzip -l</c> reports
    /// only the last member's size: use it for files whose readers are known, never for HTTP responses.
    /// </summary>
    public bool GzipMultiMember { get; set; }

    /// <summary>
    /// Decompress WarpDrive's gzip output (its marked independent blocks, or indexed members) as parallel
    /// requests. Default true. Every block start is verified as it is decoded; a wrong mark costs speed, never data.
    /// </summary>
    public bool ParallelDecompression { get; set; } = true;

    /// <summary>
    /// A stream that ends with at most this many bytes in all is compressed on the calling thread, in software, in
    /// one step, rather than sent as a request: a body that small has nothing to overlap and would only pay for
    /// the round trip (QATzip's <c>input_sz_thrshold</c>). On a hardware device this decides what goes to the
    /// device. Default 1 MiB, the chunk size: a stream that fits one chunk has nothing to run beside it, so on the
    /// in-process engine a queue only adds its round trip (<c>warpdrive bench compress --small</c> measures small
    /// bodies against GZipStream). 0 sends everything as requests.
    /// </summary>
    public int InlineThreshold { get; set; } = 1 << 20;

    /// <summary>Whether compressed output is checked before it is released. Default <see cref="CompressionVerification.Auto"/>.</summary>
    public CompressionVerification Verification { get; set; } = CompressionVerification.Auto;

    /// <summary>How data without a member index is decompressed. Default <see cref="StreamDecompressionMode.Auto"/>.</summary>
    public StreamDecompressionMode StreamDecompression { get; set; } = StreamDecompressionMode.Auto;

    /// <summary>
    /// Throw <see cref="InvalidDataException"/> when the compressed input ends before the stream does. Default
    /// true; false restores System.IO.Compression's lenient behaviour (a short read, no exception).
    /// </summary>
    public bool ThrowOnTruncatedInput { get; set; } = true;

    internal AcceleratorPool ResolvePool() => Pool ?? WarpDriveCompression.SharedPool;

    /// <summary>A copy of these options that runs on <paramref name="pool"/> unless they name a pool of their own.</summary>
    internal WarpDriveCompressionOptions WithDefaultPool(AcceleratorPool? pool)
    {
        if (Pool is not null || pool is null)
            return this;
        var copy = (WarpDriveCompressionOptions)MemberwiseClone();
        copy.Pool = pool;
        return copy;
    }

    internal void Validate()
    {
        if (!Enum.IsDefined(Verification))
            throw new ArgumentOutOfRangeException(nameof(Verification), Verification, "Not a verification mode.");
        if (!Enum.IsDefined(StreamDecompression))
            throw new ArgumentOutOfRangeException(nameof(StreamDecompression), StreamDecompression, "Not a stream decompression mode.");
        ArgumentOutOfRangeException.ThrowIfLessThan(ChunkSize, MinChunkSize, nameof(ChunkSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ChunkSize, MaxChunkSize, nameof(ChunkSize));
        ArgumentOutOfRangeException.ThrowIfNegative(InlineThreshold, nameof(InlineThreshold));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxInFlight, 1, nameof(MaxInFlight));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxInFlight, 64, nameof(MaxInFlight));
        ArgumentOutOfRangeException.ThrowIfLessThan(IndependentBlockSize, ChunkSize, nameof(IndependentBlockSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(IndependentBlockSize, MaxIndependentBlockSize, nameof(IndependentBlockSize));
    }
}
