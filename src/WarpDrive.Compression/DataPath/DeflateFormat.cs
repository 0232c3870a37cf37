using System.IO.Compression;
using WarpDrive.Drivers.Qm;
using WarpDrive.Queues;

namespace WarpDrive.Compression.DataPath;

/// <summary>The three framings of one deflate body.</summary>
internal enum DeflateFormat
{
    /// <summary>Raw deflate (RFC 1951).</summary>
    Deflate,
    /// <summary>zlib (RFC 1950): 2-byte header, Adler-32 trailer.</summary>
    ZLib,
    /// <summary>gzip (RFC 1952): header, CRC-32 and ISIZE trailer; members may be concatenated.</summary>
    GZip,
}

/// <summary>What each framing is called on a ZIP device: its uacce algorithm and its SQE request type.</summary>
internal static class DeflateFormats
{
    public static AcceleratorAlgorithm Algorithm(this DeflateFormat format) => format switch
    {
        DeflateFormat.GZip => AcceleratorAlgorithm.Gzip,
        DeflateFormat.ZLib => AcceleratorAlgorithm.Zlib,
        _ => AcceleratorAlgorithm.Deflate,
    };

    public static ZipRequestType RequestType(this DeflateFormat format) => format switch
    {
        DeflateFormat.GZip => ZipRequestType.Gzip,
        DeflateFormat.ZLib => ZipRequestType.Zlib,
        _ => ZipRequestType.Deflate,
    };
}

/// <summary>Compression levels as System.IO.Compression maps them onto zlib's 0–9.</summary>
internal static class Levels
{
    public static int FromCompressionLevel(CompressionLevel level) => level switch
    {
        CompressionLevel.Optimal => 6,
        CompressionLevel.Fastest => 1,
        CompressionLevel.NoCompression => 0,
        CompressionLevel.SmallestSize => 9,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown compression level."),
    };

    public static int FromOptions(ZLibCompressionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.CompressionLevel is -1 ? 6 : options.CompressionLevel;
    }
}
