using System.IO.Compression;
using Microsoft.AspNetCore.RequestDecompression;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;
using WarpDrive.Compression;
using WarpDrive.Scheduling;

namespace WarpDrive.AspNetCore;

/// <summary>Settings for WarpDrive's ASP.NET Core response compression providers.</summary>
public sealed class WarpDriveResponseCompressionOptions
{
    /// <summary>The level responses are compressed at. Default <see cref="CompressionLevel.Fastest"/>, as ASP.NET Core's own providers.</summary>
    public CompressionLevel Level { get; set; } = CompressionLevel.Fastest;

    /// <summary>How the streams use the device pool; null for the defaults.</summary>
    public WarpDriveCompressionOptions? Compression { get; set; }
}

/// <summary>
/// Response compression with <c>Content-Encoding: gzip</c> through <see cref="WarpDriveGZipStream"/>, one gzip
/// member per response, on the pool <c>AddWarpDrive()</c> registered (the shared pool without it).
/// </summary>
public sealed class WarpDriveGzipCompressionProvider(IOptions<WarpDriveResponseCompressionOptions> options, AcceleratorPool? pool = null) : ICompressionProvider
{
    private readonly WarpDriveCompressionOptions? _compression = options.Value.Compression?.WithDefaultPool(pool)
        ?? (pool is null ? null : new WarpDriveCompressionOptions { Pool = pool });

    /// <inheritdoc />
    public string EncodingName => "gzip";

    /// <summary>True: a flush (server-sent events, streamed responses) sends everything written so far.</summary>
    public bool SupportsFlush => true;

    /// <inheritdoc />
    public Stream CreateStream(Stream outputStream) => _compression is null
        ? new WarpDriveGZipStream(outputStream, options.Value.Level, leaveOpen: true)
        : new WarpDriveGZipStream(outputStream, options.Value.Level, _compression, leaveOpen: true);
}

/// <summary>
/// Response compression with <c>Content-Encoding: deflate</c> (HTTP's deflate is the zlib format) through
/// <see cref="WarpDriveZLibStream"/>, on the pool <c>AddWarpDrive()</c> registered (the shared pool without it).
/// </summary>
public sealed class WarpDriveDeflateCompressionProvider(IOptions<WarpDriveResponseCompressionOptions> options, AcceleratorPool? pool = null) : ICompressionProvider
{
    private readonly WarpDriveCompressionOptions? _compression = options.Value.Compression?.WithDefaultPool(pool)
        ?? (pool is null ? null : new WarpDriveCompressionOptions { Pool = pool });

    /// <inheritdoc />
    public string EncodingName => "deflate";

    /// <summary>True: a flush sends everything written so far.</summary>
    public bool SupportsFlush => true;

    /// <inheritdoc />
    public Stream CreateStream(Stream outputStream) => _compression is null
        ? new WarpDriveZLibStream(outputStream, options.Value.Level, leaveOpen: true)
        : new WarpDriveZLibStream(outputStream, options.Value.Level, _compression, leaveOpen: true);
}

/// <summary>Request bodies with <c>Content-Encoding: gzip</c>, decompressed through <see cref="WarpDriveGZipStream"/> on <paramref name="pool"/> (the shared pool when null).</summary>
public sealed class WarpDriveGzipDecompressionProvider(AcceleratorPool? pool = null) : IDecompressionProvider
{
    private readonly WarpDriveCompressionOptions _options = new() { Pool = pool };

    /// <inheritdoc />
    public Stream GetDecompressionStream(Stream stream) => new WarpDriveGZipStream(stream, CompressionMode.Decompress, _options, leaveOpen: true);
}

/// <summary>Request bodies with <c>Content-Encoding: deflate</c> (zlib), decompressed through <see cref="WarpDriveZLibStream"/> on <paramref name="pool"/> (the shared pool when null).</summary>
public sealed class WarpDriveDeflateDecompressionProvider(AcceleratorPool? pool = null) : IDecompressionProvider
{
    private readonly WarpDriveCompressionOptions _options = new() { Pool = pool };

    /// <inheritdoc />
    public Stream GetDecompressionStream(Stream stream) => new WarpDriveZLibStream(stream, CompressionMode.Decompress, _options, leaveOpen: true);
}
