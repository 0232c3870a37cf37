using System.IO.Compression;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>Chunks primed with the previous 32 KiB keep the ratio within 0.5 % of System.IO.Compression's single stream.</summary>
public sealed class RatioTests
{
    [Theory]
    [InlineData(CompressionLevel.Fastest)]
    [InlineData(CompressionLevel.Optimal)]
    public void Chunked_output_is_within_half_a_percent_of_a_single_stream(CompressionLevel level)
    {
        var input = Corpus.Mixed(12 << 20);
        foreach (var format in new[] { "deflate", "gzip" })
        {
            var single = Streams.CompressWithDotNet(format, input, level).Length;
            var chunked = Streams.Compress(format, input, level == CompressionLevel.Fastest ? 1 : 6).Length;
            Assert.True(chunked <= single * 1.005, $"{format} {level}: {chunked} bytes against {single} ({(double)chunked / single:F4})");
        }
    }

    [Fact]
    public void The_engine_names_the_codecs_it_picked()
    {
        // ISA-L serves level 1 wherever libisal2 is installed (test.sh installs it), the system zlib small bodies at
        // the other levels (zlib1g is on every Debian machine); zlib-ng serves the rest.
        bool isal = System.Runtime.InteropServices.NativeLibrary.TryLoad("libisal.so.2", out _)
            && Environment.GetEnvironmentVariable("WARPDRIVE_NO_ISAL") != "1";
        bool zlib = System.Runtime.InteropServices.NativeLibrary.TryLoad("libz.so.1", out _)
            && Environment.GetEnvironmentVariable("WARPDRIVE_NO_SYSTEM_ZLIB") != "1";
        Assert.Equal((isal ? "isa-l (level 1), " : "") + (zlib ? "zlib (system, small bodies), " : "") + "zlib-ng (runtime)",
            WarpDriveCompression.SoftCompressor);
        Assert.Contains(WarpDriveCompression.SoftDecompressor, new[] { "libdeflate", "zlib-ng (runtime)" });
    }
}
