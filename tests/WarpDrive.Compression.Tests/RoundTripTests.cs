using System.IO.Compression;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>What WarpDrive compresses, WarpDrive and System.IO.Compression decompress to the same bytes, at every level.</summary>
public sealed class RoundTripTests
{
    public static TheoryData<string, int> FormatsAndLevels()
    {
        var data = new TheoryData<string, int>();
        foreach (var format in new[] { "deflate", "zlib", "gzip" })
            for (int level = 0; level <= 9; level++)
                data.Add(format, level);
        return data;
    }

    [Theory]
    [MemberData(nameof(FormatsAndLevels))]
    public void Every_level_round_trips_through_warpdrive_and_dotnet(string format, int level)
    {
        var input = Corpus.Mixed(level is 0 or 1 or 6 ? 5_500_000 : 1_300_000);
        var compressed = Streams.Compress(format, input, level);
        Assert.Equal(input, Streams.DecompressWithDotNet(format, compressed));
        Assert.Equal(input, Streams.Decompress(format, compressed));
    }
}
