using System.IO.Compression;
using WarpDrive.Compression.DataPath;

namespace WarpDrive.Compression;

/// <summary>
/// Compresses or decompresses gzip (RFC 1952) through WarpDrive: a drop-in for <see cref="GZipStream"/>, with the same
/// constructors and observable behaviour, the work done as device requests in parallel.
/// </summary>
/// <remarks>
/// Output is one gzip member, as GZipStream writes: every
/// <see cref="WarpDriveCompressionOptions.IndependentBlockSize"/> bytes of input the dictionary is dropped and the
/// block boundary marked with an empty stored block (announced in a standard FEXTRA subfield), so WarpDrive
/// decompresses the blocks in parallel while gzip, curl, browsers and every other reader read ordinary gzip.
/// Concatenated members decode as one stream. <see cref="FileName"/> and <see cref="ModificationTime"/> are the
/// header's FNAME and MTIME, as the gzip command stores them.
/// </remarks>
public sealed class WarpDriveGZipStream : WarpDriveCompressionStream
{
    /// <summary>Compresses (level <see cref="CompressionLevel.Optimal"/>) into, or decompresses from, <paramref name="stream"/>, closing it on dispose.</summary>
    public WarpDriveGZipStream(Stream stream, CompressionMode mode)
        : this(stream, mode, leaveOpen: false)
    {
    }

    /// <summary>Compresses (level <see cref="CompressionLevel.Optimal"/>) into, or decompresses from, <paramref name="stream"/>.</summary>
    public WarpDriveGZipStream(Stream stream, CompressionMode mode, bool leaveOpen)
        : base(stream, mode, 6, leaveOpen, null, DeflateFormat.GZip)
    {
    }

    /// <summary>Compresses into <paramref name="stream"/> at <paramref name="compressionLevel"/>, closing it on dispose.</summary>
    public WarpDriveGZipStream(Stream stream, CompressionLevel compressionLevel)
        : this(stream, compressionLevel, leaveOpen: false)
    {
    }

    /// <summary>Compresses into <paramref name="stream"/> at <paramref name="compressionLevel"/>.</summary>
    public WarpDriveGZipStream(Stream stream, CompressionLevel compressionLevel, bool leaveOpen)
        : base(stream, CompressionMode.Compress, Levels.FromCompressionLevel(compressionLevel), leaveOpen, null, DeflateFormat.GZip)
    {
    }

    /// <summary>Compresses into <paramref name="stream"/> at the zlib level (0–9, -1 default) of <paramref name="compressionOptions"/>.</summary>
    /// <remarks>The strategy is advisory: the device chooses its own.</remarks>
    public WarpDriveGZipStream(Stream stream, ZLibCompressionOptions compressionOptions, bool leaveOpen = false)
        : base(stream, CompressionMode.Compress, Levels.FromOptions(compressionOptions), leaveOpen, null, DeflateFormat.GZip)
    {
    }

    /// <summary>Compresses (level <see cref="CompressionLevel.Optimal"/>) or decompresses with explicit WarpDrive options.</summary>
    public WarpDriveGZipStream(Stream stream, CompressionMode mode, WarpDriveCompressionOptions options, bool leaveOpen = false)
        : base(stream, mode, 6, leaveOpen, options ?? throw new ArgumentNullException(nameof(options)), DeflateFormat.GZip)
    {
    }

    /// <summary>Compresses at <paramref name="compressionLevel"/> with explicit WarpDrive options.</summary>
    public WarpDriveGZipStream(Stream stream, CompressionLevel compressionLevel, WarpDriveCompressionOptions options, bool leaveOpen = false)
        : base(stream, CompressionMode.Compress, Levels.FromCompressionLevel(compressionLevel), leaveOpen, options ?? throw new ArgumentNullException(nameof(options)), DeflateFormat.GZip)
    {
    }

    /// <summary>Compresses at zlib level <paramref name="level"/> (0–9) with explicit WarpDrive options.</summary>
    public WarpDriveGZipStream(Stream stream, int level, WarpDriveCompressionOptions? options = null, bool leaveOpen = false)
        : base(stream, CompressionMode.Compress, level, leaveOpen, options, DeflateFormat.GZip)
    {
    }

    /// <summary>
    /// The original file name in the gzip header (FNAME), as <c>gzip</c> stores it. Compressing: set it before the
    /// first write (ISO 8859-1 characters, no NUL); null, the default, stores none. Decompressing: the first member's
    /// name once the first read has parsed its header, else null.
    /// </summary>
    /// <exception cref="ArgumentException">The name holds a NUL or a character outside ISO 8859-1.</exception>
    /// <exception cref="InvalidOperationException">Set after the first write, or on a decompressing stream.</exception>
    public string? FileName
    {
        get => IsCompressing ? _fileName : FirstGzipHeader?.Name;
        set
        {
            if (value is not null && (value.Contains('\0', StringComparison.Ordinal) || value.Any(c => c > '\u00ff')))
                throw new ArgumentException("A gzip file name is ISO 8859-1 text without NUL.", nameof(value));
            CompressorBeforeFirstWrite(nameof(FileName)).HeaderName = value is null ? null : System.Text.Encoding.Latin1.GetBytes(value + "\0");
            _fileName = value;
        }
    }

    /// <summary>
    /// The modification time in the gzip header (MTIME, whole seconds), as <c>gzip</c> stores the input file's.
    /// Compressing: set it before the first write; null, the default, stores 0 ("no time"). Decompressing: the first
    /// member's time once the first read has parsed its header, or null when it has none.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The time is before 1970 or after 2106 (MTIME is 32 bits of seconds).</exception>
    /// <exception cref="InvalidOperationException">Set after the first write, or on a decompressing stream.</exception>
    public DateTimeOffset? ModificationTime
    {
        get => IsCompressing
            ? _modificationTime
            : FirstGzipHeader is { ModificationTime: > 0 } header ? DateTimeOffset.FromUnixTimeSeconds(header.ModificationTime) : null;
        set
        {
            long seconds = value?.ToUnixTimeSeconds() ?? 0;
            if (seconds is < 0 or > uint.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(value), value, "MTIME holds seconds from 1970 to 2106.");
            CompressorBeforeFirstWrite(nameof(ModificationTime)).HeaderTime = (uint)seconds;
            _modificationTime = value is null ? null : DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
    }

    private string? _fileName;
    private DateTimeOffset? _modificationTime;
}
