using System.IO.Compression;

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
