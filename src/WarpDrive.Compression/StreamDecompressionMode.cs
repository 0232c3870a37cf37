namespace WarpDrive.Compression;

/// <summary>How WarpDrive decompresses data it cannot split into independent members (foreign streams, zlib, raw deflate).</summary>
public enum StreamDecompressionMode
{
    /// <summary>
    /// Stream-mode requests when a hardware or kernel device serves the format; in process otherwise, where the
    /// in-process soft engine would run the same inflater with a queue round trip added.
    /// </summary>
    Auto = 0,

    /// <summary>Inflate on the reading thread with the soft engine's codec, without requests.</summary>
    InProcess,

    /// <summary>
    /// Stream-mode ZIP requests: each buffered piece of input is one request, the stream's state kept by the device
    /// between them (named by a per-stream context buffer). A device that fails mid-stream cannot hand that state
    /// on, so the read fails with an <see cref="IOException"/>; the output so far is intact.
    /// </summary>
    Requests,
}
