using System.IO.Compression;
using Microsoft.AspNetCore.RequestDecompression;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;

namespace WarpDrive.Compression.AspNetCore;

/// <summary>Settings for WarpDrive's ASP.NET Core response compression providers.</summary>
public sealed class WarpDriveResponseCompressionOptions
{
    /// <summary>The level responses are compressed at. Default <see cref="CompressionLevel.Fastest"/>, as ASP.NET Core's own providers.</summary>
    public CompressionLevel Level { get; set; } = CompressionLevel.Fastest;

    /// <summary>How the streams use the device pool; null for the defaults.</summary>
    public WarpDriveCompressionOptions? Compression { get; set; }
}

/// <summary>Response compression with <c>Content-Encoding: gzip</c> through <see cref="WarpDriveGZipStream"/>.</summary>
public sealed class WarpDriveGzipCompressionProvider(IOptions<WarpDriveResponseCompressionOptions> options) : ICompressionProvider
{
    /// <inheritdoc />
    public string EncodingName => "gzip";

    /// <summary>True: a flush (server-sent events, streamed responses) sends everything written so far.</summary>
    public bool SupportsFlush => true;

    /// <inheritdoc />
    public Stream CreateStream(Stream outputStream)
    {
        var o = options.Value;
        return o.Compression is null
            ? new WarpDriveGZipStream(outputStream, o.Level, leaveOpen: true)
            : new WarpDriveGZipStream(outputStream, o.Level, o.Compression, leaveOpen: true);
    }
}

/// <summary>Response compression with <c>Content-Encoding: deflate</c> (HTTP's deflate is the zlib format) through <see cref="WarpDriveZLibStream"/>.</summary>
public sealed class WarpDriveDeflateCompressionProvider(IOptions<WarpDriveResponseCompressionOptions> options) : ICompressionProvider
{
    /// <inheritdoc />
    public string EncodingName => "deflate";

    /// <summary>True: a flush sends everything written so far.</summary>
    public bool SupportsFlush => true;

    /// <inheritdoc />
    public Stream CreateStream(Stream outputStream)
    {
        var o = options.Value;
        return o.Compression is null
            ? new WarpDriveZLibStream(outputStream, o.Level, leaveOpen: true)
            : new WarpDriveZLibStream(outputStream, o.Level, o.Compression, leaveOpen: true);
    }
}

/// <summary>Request bodies with <c>Content-Encoding: gzip</c>, decompressed through <see cref="WarpDriveGZipStream"/>.</summary>
public sealed class WarpDriveGzipDecompressionProvider : IDecompressionProvider
{
    /// <inheritdoc />
    public Stream GetDecompressionStream(Stream stream) => new WarpDriveGZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
}

/// <summary>Request bodies with <c>Content-Encoding: deflate</c> (zlib), decompressed through <see cref="WarpDriveZLibStream"/>.</summary>
public sealed class WarpDriveDeflateDecompressionProvider : IDecompressionProvider
{
    /// <inheritdoc />
    public Stream GetDecompressionStream(Stream stream) => new WarpDriveZLibStream(stream, CompressionMode.Decompress, leaveOpen: true);
}
