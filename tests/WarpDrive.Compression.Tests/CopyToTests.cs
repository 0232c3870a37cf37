using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>CopyTo and CopyToAsync hand whole decompressed members over, after a partial read too.</summary>
public sealed class CopyToTests
{
    private static readonly WarpDriveCompressionOptions Small = new() { ChunkSize = 64 * 1024, IndependentBlockSize = 128 * 1024 };

    [Theory]
    [InlineData("gzip")]
    [InlineData("zlib")]
    public async Task CopyTo_after_a_partial_read_gives_the_rest(string format)
    {
        var input = Corpus.Mixed(1_000_000);
        var compressed = Streams.Compress(format, input, 6, Small);
        foreach (bool async in new[] { false, true })
        {
            using var reader = Streams.WarpDriveReader(format, new MemoryStream(compressed), Small);
            var head = new byte[1000];
            reader.ReadExactly(head);
            var rest = new MemoryStream();
            if (async)
                await reader.CopyToAsync(rest);
            else
                reader.CopyTo(rest);
            byte[] all = [.. head, .. rest.ToArray()];
            Assert.Equal(input, all);
        }
    }
}
