using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>Chunk buffers are pooled across streams: many small compressions (HTTP responses) allocate little.</summary>
public sealed class BufferReuseTests
{
    [Fact]
    public void Many_small_streams_reuse_the_chunk_buffers()
    {
        var input = Corpus.TextBytes(20_000);
        for (int i = 0; i < 5; i++)
            Streams.Compress("gzip", input, 1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
            Assert.Equal(input, Streams.DecompressWithDotNet("gzip", Streams.Compress("gzip", input, 1)));
        long perStream = (GC.GetAllocatedBytesForCurrentThread() - before) / 50;
        // One fresh chunk would be over 2 MiB; what remains is the streams, the output and .NET's inflater.
        Assert.True(perStream < 512 * 1024, $"{perStream} bytes allocated per stream");
    }
}
