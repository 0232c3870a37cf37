using System.IO.Compression;
using System.IO.Pipelines;
using WarpDrive.Compression.Pipelines;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Devices.Soft;
using WarpDrive.Scheduling;
using WarpDrive.Tests;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>
/// A device that answers wrongly (<see cref="SoftFault.CorruptResult"/>: the result is computed, then one output
/// byte flipped) never reaches the caller: compressed chunks are verified before release and decompressed output
/// is checked against a CRC-32 computed on the host, each detected fault re-runs in software (a stream-mode body
/// is replayed in process) and is counted.
/// </summary>
public sealed class CorruptResultTests : IDisposable
{
    private static readonly byte[] Input = Corpus.TextBytes((6 << 20) + 4321);
    private readonly AcceleratorPool _pool = new(new WarpDriveOptions { SoftEngine = new SoftEngineOptions { WorkerCount = 2 } });

    public void Dispose() => _pool.Dispose();

    public static TheoryData<string, int, double> Shapes() => new()
    {
        { "gzip", 1, 1.0 }, { "gzip", 6, 1.0 }, { "gzip", 6, 0.3 },
        { "zlib", 1, 1.0 }, { "zlib", 6, 0.3 },
        { "deflate", 6, 1.0 }, { "deflate", 1, 0.3 },
    };

    private WarpDriveCompressionOptions Options(CompressionVerification verification = CompressionVerification.Always) => new()
    {
        Pool = _pool,
        ChunkSize = 256 * 1024,
        IndependentBlockSize = 1 << 20,
        Verification = verification,
        // Every read through the pool, so stream mode meets the faults too where it is asked for.
        StreamDecompression = StreamDecompressionMode.InProcess,
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Compressed_output_is_byte_identical_to_a_fault_free_run(string format, int level, double rate)
    {
        var expected = Streams.Compress(format, Input, level, Options());
        _pool.SoftEngine().Faults.SetRate(SoftFault.CorruptResult, rate, seed: 7);
        var output = Streams.Compress(format, Input, level, Options());
        int fired = _pool.SoftEngine().Faults.Fired(SoftFault.CorruptResult);
        _pool.SoftEngine().Faults.Clear();
        Assert.True(fired > 0);
        Assert.True(expected.AsSpan().SequenceEqual(output), "output differs from the fault-free run");
        Assert.Equal(fired, _pool.ResultsRejected);
    }

    [Fact]
    public void Without_verification_a_corrupt_chunk_would_reach_the_caller()
    {
        // The check the tests above rely on is the verification: switched off, the same fault gets through.
        var expected = Streams.Compress("deflate", Input, 6, Options());
        _pool.SoftEngine().Faults.Arm(SoftFault.CorruptResult, 3);
        var output = Streams.Compress("deflate", Input, 6, Options(CompressionVerification.Never));
        Assert.False(expected.AsSpan().SequenceEqual(output));
        Assert.Equal(0, _pool.ResultsRejected);
    }

    [Theory]
    [InlineData(false, 1.0)]
    [InlineData(false, 0.4)]
    [InlineData(true, 1.0)]
    [InlineData(true, 0.4)]
    public async Task WarpDrive_gzip_decompresses_exactly_under_corrupt_results(bool multiMember, double rate)
    {
        var options = Options();
        options.GzipMultiMember = multiMember;
        var gzip = Streams.Compress("gzip", Input, 6, options);
        _pool.SoftEngine().Faults.SetRate(SoftFault.CorruptResult, rate, seed: 11);
        Assert.True(Input.AsSpan().SequenceEqual(Streams.Decompress("gzip", gzip, options)));
        byte[] decoded;
        using (var reader = new WarpDriveGZipStream(new MemoryStream(gzip), CompressionMode.Decompress, options))
            decoded = await Streams.ReadAllAsync(reader, 1 << 16);
        Assert.True(Input.AsSpan().SequenceEqual(decoded));
        int fired = _pool.SoftEngine().Faults.Fired(SoftFault.CorruptResult);
        _pool.SoftEngine().Faults.Clear();
        Assert.True(fired > 0);
        Assert.Equal(fired, _pool.ResultsRejected);
    }

    [Theory]
    [InlineData("gzip", 1.0)]
    [InlineData("gzip", 0.3)]
    [InlineData("zlib", 1.0)]
    [InlineData("deflate", 0.3)]
    public async Task Stream_mode_replays_a_rejected_body_in_process_and_decodes_exactly(string format, double rate)
    {
        // Foreign data, so it goes to the device as stream-mode requests; a rejected result cannot be re-run there.
        var compressed = Streams.CompressWithDotNet(format, Input);
        var options = Options();
        options.StreamDecompression = StreamDecompressionMode.Requests;
        _pool.SoftEngine().Faults.SetRate(SoftFault.CorruptResult, rate, seed: 9);
        using (var reader = Streams.WarpDriveReader(format, new MemoryStream(compressed), options))
        {
            var output = new MemoryStream();
            var buffer = new byte[8192];
            int n;
            while ((n = reader.Read(buffer)) > 0)
                output.Write(buffer, 0, n);
            Assert.True(Input.AsSpan().SequenceEqual(output.ToArray()));
        }
        byte[] decoded;
        using (var reader = Streams.WarpDriveReader(format, new MemoryStream(compressed), options))
            decoded = await Streams.ReadAllAsync(reader, 1 << 16);
        Assert.True(Input.AsSpan().SequenceEqual(decoded));
        int fired = _pool.SoftEngine().Faults.Fired(SoftFault.CorruptResult);
        _pool.SoftEngine().Faults.Clear();
        Assert.True(fired > 0);
        // One rejection per reader: after it the body (and the stream) is read in process.
        Assert.Equal(2, _pool.ResultsRejected);
    }

    [Fact]
    public void A_misleading_block_mark_read_serially_on_the_device_replays_from_the_proven_boundary()
    {
        // Marks where the dictionary was kept: the second block fails, the rest goes to the device as a stream
        // primed with the window, and its corrupted results are replayed in process from that boundary.
        var forged = ForgedGzip.MarksWhereTheDictionaryWasKept(Input, 1 << 20, 256 * 1024);
        var options = Options();
        options.StreamDecompression = StreamDecompressionMode.Requests;
        _pool.SoftEngine().Faults.SetRate(SoftFault.CorruptResult, 1.0, seed: 2);
        Assert.True(Input.AsSpan().SequenceEqual(Streams.Decompress("gzip", forged, options)));
        _pool.SoftEngine().Faults.Clear();
        // The first block's result and the stream's first result were rejected; the faults on blocks that failed
        // to decode anyway, or were dropped unread after the failure, needed no check.
        Assert.True(_pool.ResultsRejected >= 2, $"{_pool.ResultsRejected} results rejected");
    }

    [Fact]
    public void The_one_shot_api_and_the_pipe_writer_verify_too()
    {
        var options = Options();
        var expected = Streams.Compress("gzip", Input, 6, options);
        _pool.SoftEngine().Faults.SetRate(SoftFault.CorruptResult, 1.0, seed: 3);
        var buffer = new byte[WarpDriveGZipEncoder.GetMaxCompressedLength(Input.Length)];
        Assert.True(WarpDriveGZipEncoder.TryCompress(Input, buffer, out int written, 6, options));
        Assert.True(expected.AsSpan().SequenceEqual(buffer.AsSpan(0, written)));
        var decoded = new byte[Input.Length];
        Assert.True(WarpDriveGZipDecoder.TryDecompress(expected, decoded, out int read, options));
        Assert.Equal(Input.Length, read);
        Assert.True(Input.AsSpan().SequenceEqual(decoded));

        var file = new MemoryStream();
        var writer = WarpDrivePipes.CreateCompressingWriter(file, WarpDrivePipeFormat.GZip, CompressionLevel.Optimal, options, leaveOpen: true);
        Input.CopyTo(writer.GetSpan(Input.Length));
        writer.Advance(Input.Length);
        writer.Complete();
        _pool.SoftEngine().Faults.Clear();
        Assert.True(Input.AsSpan().SequenceEqual(Streams.DecompressWithDotNet("gzip", file.ToArray())));
        Assert.True(_pool.ResultsRejected > 0);
    }
}
