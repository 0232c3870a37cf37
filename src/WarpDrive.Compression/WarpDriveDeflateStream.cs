using System.IO.Compression;
using WarpDrive.Compression.DataPath;

namespace WarpDrive.Compression;

/// <summary>
/// Compresses or decompresses raw deflate (RFC 1951) through WarpDrive: a drop-in for <see cref="DeflateStream"/>, with the same
/// constructors and observable behaviour, the work done as device requests in parallel.
/// </summary>
public sealed class WarpDriveDeflateStream : WarpDriveCompressionStream
{
    /// <summary>Compresses (level <see cref="CompressionLevel.Optimal"/>) into, or decompresses from, <paramref name="stream"/>, closing it on dispose.</summary>
    public WarpDriveDeflateStream(Stream stream, CompressionMode mode)
        : this(stream, mode, leaveOpen: false)
    {
    }

    /// <summary>Compresses (level <see cref="CompressionLevel.Optimal"/>) into, or decompresses from, <paramref name="stream"/>.</summary>
    public WarpDriveDeflateStream(Stream stream, CompressionMode mode, bool leaveOpen)
        : base(stream, mode, 6, leaveOpen, null, DeflateFormat.Deflate)
    {
    }

    /// <summary>Compresses into <paramref name="stream"/> at <paramref name="compressionLevel"/>, closing it on dispose.</summary>
    public WarpDriveDeflateStream(Stream stream, CompressionLevel compressionLevel)
        : this(stream, compressionLevel, leaveOpen: false)
    {
    }

    /// <summary>Compresses into <paramref name="stream"/> at <paramref name="compressionLevel"/>.</summary>
    public WarpDriveDeflateStream(Stream stream, CompressionLevel compressionLevel, bool leaveOpen)
        : base(stream, CompressionMode.Compress, Levels.FromCompressionLevel(compressionLevel), leaveOpen, null, DeflateFormat.Deflate)
    {
    }

    /// <summary>Compresses into <paramref name="stream"/> at the zlib level (0–9, -1 default) of <paramref name="compressionOptions"/>.</summary>
    /// <remarks>The strategy is advisory: the device chooses its own.</remarks>
    public WarpDriveDeflateStream(Stream stream, ZLibCompressionOptions compressionOptions, bool leaveOpen = false)
        : base(stream, CompressionMode.Compress, Levels.FromOptions(compressionOptions), leaveOpen, null, DeflateFormat.Deflate)
    {
    }

    /// <summary>Compresses (level <see cref="CompressionLevel.Optimal"/>) or decompresses with explicit WarpDrive options.</summary>
    public WarpDriveDeflateStream(Stream stream, CompressionMode mode, WarpDriveCompressionOptions options, bool leaveOpen = false)
        : base(stream, mode, 6, leaveOpen, options ?? throw new ArgumentNullException(nameof(options)), DeflateFormat.Deflate)
    {
    }

    /// <summary>Compresses at <paramref name="compressionLevel"/> with explicit WarpDrive options.</summary>
    public WarpDriveDeflateStream(Stream stream, CompressionLevel compressionLevel, WarpDriveCompressionOptions options, bool leaveOpen = false)
        : base(stream, CompressionMode.Compress, Levels.FromCompressionLevel(compressionLevel), leaveOpen, options ?? throw new ArgumentNullException(nameof(options)), DeflateFormat.Deflate)
    {
    }

    /// <summary>Compresses at zlib level <paramref name="level"/> (0–9) with explicit WarpDrive options.</summary>
    public WarpDriveDeflateStream(Stream stream, int level, WarpDriveCompressionOptions? options = null, bool leaveOpen = false)
        : base(stream, CompressionMode.Compress, level, leaveOpen, options, DeflateFormat.Deflate)
    {
    }
}
