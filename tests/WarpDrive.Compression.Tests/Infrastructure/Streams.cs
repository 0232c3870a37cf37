using System.IO.Compression;

namespace WarpDrive.Compression.Tests.Infrastructure;

/// <summary>Compress and decompress through WarpDrive's streams and System.IO.Compression's, by format name.</summary>
internal static class Streams
{
    public static Stream WarpDrive(string format, Stream inner, int level, WarpDriveCompressionOptions? options = null, bool leaveOpen = false) => format switch
    {
        "gzip" => new WarpDriveGZipStream(inner, level, options, leaveOpen),
        "zlib" => new WarpDriveZLibStream(inner, level, options, leaveOpen),
        _ => new WarpDriveDeflateStream(inner, level, options, leaveOpen),
    };

    public static Stream WarpDriveReader(string format, Stream inner, WarpDriveCompressionOptions? options = null) => (format, options) switch
    {
        ("gzip", null) => new WarpDriveGZipStream(inner, CompressionMode.Decompress),
        ("zlib", null) => new WarpDriveZLibStream(inner, CompressionMode.Decompress),
        (_, null) => new WarpDriveDeflateStream(inner, CompressionMode.Decompress),
        ("gzip", _) => new WarpDriveGZipStream(inner, CompressionMode.Decompress, options),
        ("zlib", _) => new WarpDriveZLibStream(inner, CompressionMode.Decompress, options),
        _ => new WarpDriveDeflateStream(inner, CompressionMode.Decompress, options),
    };

    public static Stream DotNet(string format, Stream inner, CompressionMode mode) => format switch
    {
        "gzip" => new GZipStream(inner, mode),
        "zlib" => new ZLibStream(inner, mode),
        _ => new DeflateStream(inner, mode),
    };

    public static Stream DotNet(string format, Stream inner, CompressionLevel level) => format switch
    {
        "gzip" => new GZipStream(inner, level),
        "zlib" => new ZLibStream(inner, level),
        _ => new DeflateStream(inner, level),
    };

    public static byte[] Compress(string format, ReadOnlySpan<byte> input, int level = 6, WarpDriveCompressionOptions? options = null)
    {
        var output = new MemoryStream();
        using (var stream = WarpDrive(format, output, level, options, leaveOpen: true))
            stream.Write(input);
        return output.ToArray();
    }

    public static byte[] Decompress(string format, byte[] compressed, WarpDriveCompressionOptions? options = null)
    {
        using var stream = WarpDriveReader(format, new MemoryStream(compressed), options);
        var output = new MemoryStream();
        stream.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Reads <paramref name="stream"/> to its end through ReadAsync, <paramref name="bufferSize"/> bytes at most a call.</summary>
    public static async Task<byte[]> ReadAllAsync(Stream stream, int bufferSize)
    {
        var output = new MemoryStream();
        var buffer = new byte[bufferSize];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
            output.Write(buffer, 0, n);
        return output.ToArray();
    }

    public static byte[] CompressWithDotNet(string format, ReadOnlySpan<byte> input, CompressionLevel level = CompressionLevel.Optimal)
    {
        var output = new MemoryStream();
        using (var stream = DotNet(format, output, level))
            stream.Write(input);
        return output.ToArray();
    }

    public static byte[] DecompressWithDotNet(string format, byte[] compressed)
    {
        using var stream = DotNet(format, new MemoryStream(compressed), CompressionMode.Decompress);
        var output = new MemoryStream();
        stream.CopyTo(output);
        return output.ToArray();
    }
}
