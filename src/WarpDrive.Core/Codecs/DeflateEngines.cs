namespace WarpDrive.Codecs;

/// <summary>
/// Which deflate implementations the in-process soft engine runs, picked once per process as the fastest correct
/// one available. Measured on the reference machine (2 cores, MB/s of input, one thread): compression zlib-ng
/// (the runtime's) 361 at level 1 and 88 at level 6 against system zlib 1.2.13's 116 and 40, SharpZipLib's 80 and
/// 28; libdeflate compresses whole buffers only (no window priming, so chunks could not form one stream), and
/// ISA-L is used only where installed (it is not part of a default Debian). Whole-buffer decompression: libdeflate
/// 1293 against zlib-ng 650–890, so stateless decompress requests use libdeflate where present.
/// </summary>
public static class DeflateEngines
{
    /// <summary>The compressor every ZIP compress request runs on: <c>zlib-ng (runtime)</c>.</summary>
    public static string Compressor => "zlib-ng (runtime)";

    /// <summary>
    /// The decompressor for stateless ZIP decompress requests: <c>libdeflate</c> where <c>libdeflate.so.0</c>
    /// loads, else <c>zlib-ng (runtime)</c>. Stream-mode requests always use zlib-ng, which can resume.
    /// Set the environment variable <c>WARPDRIVE_NO_LIBDEFLATE=1</c> to force zlib-ng.
    /// </summary>
    public static string StatelessDecompressor => DeflateLibdeflate.IsAvailable ? "libdeflate" : "zlib-ng (runtime)";
}
