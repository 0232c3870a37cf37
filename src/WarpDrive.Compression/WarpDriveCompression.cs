using WarpDrive.Codecs;
using WarpDrive.Scheduling;

namespace WarpDrive.Compression;

/// <summary>Process-wide facts and defaults of WarpDrive compression.</summary>
public static class WarpDriveCompression
{
    private static readonly Lazy<AcceleratorPool> s_pool = new(() => new AcceleratorPool(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The pool streams use when their options name none: created on first use over the devices this machine
    /// has plus the in-process soft engine, and kept for the life of the process.
    /// </summary>
    public static AcceleratorPool SharedPool => s_pool.Value;

    /// <summary>The deflate implementation the soft engine compresses with (see <see cref="DeflateEngines"/>).</summary>
    public static string SoftCompressor => DeflateEngines.Compressor;

    /// <summary>The deflate implementation the soft engine decompresses whole members with.</summary>
    public static string SoftDecompressor => DeflateEngines.StatelessDecompressor;

    /// <summary>What data without a member index is inflated with in process: zlib-ng, or SharpZipLib where it must be managed.</summary>
    public static string StreamingDecompressor => DeflateEngines.StreamingDecompressor + ", in process";
}
