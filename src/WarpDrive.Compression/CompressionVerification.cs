namespace WarpDrive.Compression;

/// <summary>
/// Whether compressed output is checked before it is released (Intel QAT's compress-and-verify, done on the host):
/// each chunk's result is inflated after the same dictionary and compared with the chunk's input; one that differs
/// is compressed again in software, counted (<c>warpdrive.results.rejected</c>) and logged once per device.
/// </summary>
public enum CompressionVerification
{
    /// <summary>
    /// Verify what a hardware or kernel device produced; trust the in-process engine, which is this process's own
    /// code (verifying it costs more than 5 % of level-6 throughput: see the README).
    /// </summary>
    Auto,

    /// <summary>Verify every chunk, whichever device produced it.</summary>
    Always,

    /// <summary>Verify nothing: for callers who accept a device's word.</summary>
    Never,
}
