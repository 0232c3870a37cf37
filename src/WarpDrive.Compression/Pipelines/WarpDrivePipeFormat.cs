namespace WarpDrive.Compression.Pipelines;

/// <summary>The framing a <see cref="WarpDrivePipes"/> writer produces or reader expects: the three formats of the streams.</summary>
public enum WarpDrivePipeFormat
{
    /// <summary>Raw deflate (RFC 1951), as <see cref="WarpDriveDeflateStream"/>.</summary>
    Deflate,

    /// <summary>zlib (RFC 1950), as <see cref="WarpDriveZLibStream"/>; HTTP's <c>Content-Encoding: deflate</c>.</summary>
    ZLib,

    /// <summary>gzip (RFC 1952), as <see cref="WarpDriveGZipStream"/>: indexed members, plain multi-member gzip to other readers.</summary>
    GZip,
}
