using WarpDrive.Compression.DataPath;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Hashing;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>Per-chunk checksums combine into the checksum of the whole, as zlib's combine functions define.</summary>
public sealed class ChecksumCombineTests
{
    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 1)]
    [InlineData(5552, 5553)]
    [InlineData(100_000, 1_048_576)]
    [InlineData(3, 0)]
    public void Combined_crc32_and_adler32_equal_the_checksum_of_the_concatenation(int lengthA, int lengthB)
    {
        var data = Corpus.BinaryBytes(lengthA + lengthB);
        var a = data.AsSpan(0, lengthA);
        var b = data.AsSpan(lengthA);
        Assert.Equal(DeflateChecksum.Crc32(0, data), DeflateChecksum.Crc32Combine(DeflateChecksum.Crc32(0, a), DeflateChecksum.Crc32(0, b), lengthB));
        Assert.Equal(DeflateChecksum.Adler32(1, data), DeflateChecksum.Adler32Combine(DeflateChecksum.Adler32(1, a), DeflateChecksum.Adler32(1, b), lengthB));
    }
}
