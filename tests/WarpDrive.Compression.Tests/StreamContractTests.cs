using System.IO.Compression;

namespace WarpDrive.Compression.Tests;

/// <summary>The Stream contract as System.IO.Compression's streams show it: capabilities, disposal, leaveOpen, arguments.</summary>
public sealed class StreamContractTests
{
    [Fact]
    public void Capabilities_follow_the_mode_and_disposal()
    {
        var inner = new MemoryStream();
        var writer = new WarpDriveDeflateStream(inner, CompressionMode.Compress, leaveOpen: true);
        Assert.True(writer.CanWrite);
        Assert.False(writer.CanRead);
        Assert.False(writer.CanSeek);
        Assert.Same(inner, writer.BaseStream);
        Assert.Throws<NotSupportedException>(() => writer.Length);
        Assert.Throws<NotSupportedException>(() => writer.Position);
        Assert.Throws<NotSupportedException>(() => writer.Seek(0, SeekOrigin.Begin));
        writer.Dispose();
        Assert.False(writer.CanWrite);
        Assert.Throws<ObjectDisposedException>(() => writer.Write(new byte[1]));
        Assert.Throws<ObjectDisposedException>(() => writer.Flush());
        Assert.True(inner.CanWrite); // left open
        writer.Dispose(); // twice is fine

        var reader = new WarpDriveZLibStream(new MemoryStream(), CompressionMode.Decompress);
        Assert.True(reader.CanRead);
        Assert.False(reader.CanWrite);
        reader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reader.Read(new byte[1]));
    }

    [Fact]
    public void The_base_stream_is_closed_unless_left_open()
    {
        var inner = new MemoryStream();
        new WarpDriveGZipStream(inner, CompressionLevel.Optimal).Dispose();
        Assert.False(inner.CanWrite);
    }

    [Fact]
    public async Task DisposeAsync_finishes_the_stream()
    {
        var inner = new MemoryStream();
        var writer = new WarpDriveGZipStream(inner, CompressionLevel.Optimal, leaveOpen: true);
        await writer.WriteAsync(new byte[] { 1, 2, 3 });
        await writer.DisposeAsync();
        using var reader = new GZipStream(new MemoryStream(inner.ToArray()), CompressionMode.Decompress);
        var buffer = new byte[10];
        Assert.Equal(3, reader.ReadAtLeast(buffer, 3, throwOnEndOfStream: false));
    }

    [Fact]
    public void All_five_constructors_exist_and_validate()
    {
        var inner = new MemoryStream();
        using (new WarpDriveGZipStream(inner, CompressionMode.Compress, leaveOpen: true)) { }
        using (new WarpDriveGZipStream(inner, CompressionLevel.SmallestSize, leaveOpen: true)) { }
        using (new WarpDriveGZipStream(inner, new ZLibCompressionOptions { CompressionLevel = 3, CompressionStrategy = ZLibCompressionStrategy.Filtered }, leaveOpen: true)) { }
        using (new WarpDriveZLibStream(new MemoryStream(), CompressionMode.Decompress)) { }
        using (new WarpDriveDeflateStream(new MemoryStream(), CompressionLevel.NoCompression)) { }
        Assert.Throws<ArgumentNullException>(() => new WarpDriveDeflateStream(null!, CompressionMode.Compress));
        Assert.Throws<ArgumentException>(() => new WarpDriveDeflateStream(new MemoryStream(), (CompressionMode)7));
        Assert.Throws<ArgumentException>(() => new WarpDriveDeflateStream(new MemoryStream(new byte[1], writable: false), CompressionMode.Compress));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarpDriveDeflateStream(new MemoryStream(), (CompressionLevel)42));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarpDriveDeflateStream(new MemoryStream(), 10));
    }

    [Fact]
    public void Zlib_and_gzip_headers_say_the_level_as_system_io_compression_writes_them()
    {
        foreach (var (level, zlib, xfl) in new[] { (CompressionLevel.Fastest, (byte)0x01, (byte)4), (CompressionLevel.Optimal, (byte)0x9c, (byte)0), (CompressionLevel.SmallestSize, (byte)0xda, (byte)2) })
        {
            var z = new MemoryStream();
            using (var s = new WarpDriveZLibStream(z, level, leaveOpen: true))
                s.WriteByte(1);
            Assert.Equal(new byte[] { 0x78, zlib }, z.ToArray()[..2]);
            var g = new MemoryStream();
            using (var s = new WarpDriveGZipStream(g, level, leaveOpen: true))
                s.WriteByte(1);
            Assert.Equal(xfl, g.ToArray()[8]);
        }
    }

    [Fact]
    public async Task Cancelled_tokens_cancel()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        using var writer = new WarpDriveGZipStream(new MemoryStream(), CompressionLevel.Fastest);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await writer.WriteAsync(new byte[10], cts.Token));
        using var reader = new WarpDriveGZipStream(new MemoryStream(), CompressionMode.Decompress);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.ReadAsync(new byte[10], cts.Token));
    }
}
