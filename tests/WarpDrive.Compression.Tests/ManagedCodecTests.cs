using System.IO.Compression;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Devices.Soft;
using WarpDrive.Devices.Soft.Engines.Deflate;
using WarpDrive.Scheduling;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>
/// SharpZipLib's managed codecs, which serve everything where the runtime's native zlib-ng cannot load: chunked
/// output any inflater reads, every read path, and bad data still typed. Runs alone: the switch is process-wide.
/// </summary>
[Collection(nameof(ManagedCodecsAlone))]
public sealed class ManagedCodecTests : IDisposable
{
    private static readonly byte[] Input = Corpus.Mixed(2_500_000);
    private readonly AcceleratorPool _pool = new(new WarpDriveOptions { SoftEngine = new SoftEngineOptions { WorkerCount = 2 } });

    public ManagedCodecTests() => DeflateCodecs.ForceManaged = true;

    public void Dispose()
    {
        DeflateCodecs.ForceManaged = null;
        _pool.Dispose();
    }

    private WarpDriveCompressionOptions Options(StreamDecompressionMode mode = StreamDecompressionMode.Auto) =>
        new() { Pool = _pool, ChunkSize = 256 * 1024, IndependentBlockSize = 1 << 20, StreamDecompression = mode };

    [Fact]
    public void The_engine_says_it_runs_managed_codecs()
    {
        Assert.Equal("SharpZipLib (managed)", WarpDriveCompression.SoftCompressor);
        Assert.Equal("SharpZipLib (managed)", WarpDriveCompression.SoftDecompressor);
    }

    [Theory]
    [InlineData("gzip", 0)]
    [InlineData("gzip", 1)]
    [InlineData("gzip", 6)]
    [InlineData("zlib", 9)]
    [InlineData("deflate", 6)]
    public void Chunked_managed_output_is_read_by_dotnet_and_back_by_warpdrive(string format, int level)
    {
        var compressed = Streams.Compress(format, Input, level, Options());
        Assert.Equal(Input, Streams.DecompressWithDotNet(format, compressed));
        Assert.Equal(Input, Streams.Decompress(format, compressed, Options()));
        if (level > 0)
            Assert.True(compressed.Length < Input.Length / 2, $"{compressed.Length} bytes from {Input.Length}");
    }

    [Theory]
    [InlineData(StreamDecompressionMode.InProcess)]
    [InlineData(StreamDecompressionMode.Requests)]
    public void Foreign_streams_inflate_in_small_reads(StreamDecompressionMode mode)
    {
        var first = Streams.CompressWithDotNet("gzip", Input.AsSpan(0, 1_000_000));
        var second = Streams.CompressWithDotNet("gzip", Input.AsSpan(1_000_000));
        using var reader = Streams.WarpDriveReader("gzip", new MemoryStream([.. first, .. second]), Options(mode));
        var output = new MemoryStream();
        var buffer = new byte[1000]; // output fills often, so the inflater holds input across calls
        int n;
        while ((n = reader.Read(buffer)) > 0)
            output.Write(buffer, 0, n);
        Assert.Equal(Input, output.ToArray());
    }

    [Fact]
    public void Corrupt_data_is_still_an_invalid_data_exception()
    {
        var compressed = Streams.CompressWithDotNet("gzip", Input);
        compressed[compressed.Length / 3] ^= 0x5a;
        Assert.Throws<InvalidDataException>(() => Streams.Decompress("gzip", compressed, Options()));
        Assert.Throws<InvalidDataException>(() => Streams.Decompress("gzip", compressed, Options(StreamDecompressionMode.Requests)));
    }
}

[CollectionDefinition(nameof(ManagedCodecsAlone), DisableParallelization = true)]
public sealed class ManagedCodecsAlone;
