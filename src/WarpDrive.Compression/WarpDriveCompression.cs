using WarpDrive.Devices.Soft.Engines.Deflate;
using WarpDrive.Scheduling;

namespace WarpDrive.Compression;

/// <summary>Process-wide facts and defaults of WarpDrive compression.</summary>
public static class WarpDriveCompression
{
    /// <summary>
    /// The pool streams use when their options name none: the process-wide <see cref="WarpDriveAccelerator.Shared"/>,
    /// which RSA without a pool uses too, so a process without dependency injection holds one pool. With a host,
    /// the ASP.NET Core providers use the pool <c>AddWarpDrive()</c> registers instead.
    /// </summary>
    public static AcceleratorPool SharedPool => WarpDriveAccelerator.Shared;

    /// <summary>The deflate implementation the soft engine compresses with (see <see cref="DeflateCodecs"/>).</summary>
    public static string SoftCompressor => DeflateCodecs.Compressor;

    /// <summary>The deflate implementation the soft engine decompresses whole members with.</summary>
    public static string SoftDecompressor => DeflateCodecs.StatelessDecompressor;

    /// <summary>What data without a member index is inflated with in process: zlib-ng, or SharpZipLib where it must be managed.</summary>
    public static string StreamingDecompressor => DeflateCodecs.StreamingDecompressor + ", in process";
}
