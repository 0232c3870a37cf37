using WarpDrive.Devices.Soft;
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

    /// <summary>The deflate implementation the soft engine compresses with (see <see cref="SoftDevice.CompressorImplementation"/>).</summary>
    public static string SoftCompressor => SoftDevice.CompressorImplementation;

    /// <summary>The deflate implementation the soft engine decompresses whole members with.</summary>
    public static string SoftDecompressor => SoftDevice.StatelessDecompressorImplementation;

    /// <summary>
    /// What data without a member index is inflated with when no device serves it: the soft engine's streaming
    /// codec (zlib-ng, or SharpZipLib where it must be managed), run in line on the reader's thread.
    /// </summary>
    public static string StreamingDecompressor => SoftDevice.StreamingDecompressorImplementation + ", in process";
}
