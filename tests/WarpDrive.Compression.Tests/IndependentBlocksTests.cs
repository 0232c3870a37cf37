using System.Buffers.Binary;
using System.IO.Compression;
using WarpDrive.Compression.DataPath;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Hashing;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>
/// gzip output is one member whose independent blocks WarpDrive's reader decompresses in parallel, and whose
/// block marks are hints: a forged or misleading mark costs speed, never the data.
/// </summary>
public sealed class IndependentBlocksTests
{
    private const int BlockSize = 1 << 20;
    private static readonly WarpDriveCompressionOptions Options = new() { ChunkSize = 256 * 1024, IndependentBlockSize = BlockSize };
    private static readonly byte[] Input = Corpus.TextBytes((9 << 20) + 12_345);

    [Fact]
    public void Gzip_output_is_one_member_with_the_whole_streams_trailer_and_a_mark_per_block()
    {
        var gzip = Streams.Compress("gzip", Input, 6, Options);
        Assert.True(Framing.TryParseGzipHeader(gzip, out var header));
        Assert.Equal((uint)BlockSize, header.BlockSize);
        // One deflate stream from header to trailer: DeflateStream (which reads one stream only) gives it all.
        using (var inflater = new DeflateStream(new MemoryStream(gzip, header.Length, gzip.Length - header.Length - 8), CompressionMode.Decompress))
        {
            var output = new MemoryStream();
            inflater.CopyTo(output);
            Assert.True(Input.AsSpan().SequenceEqual(output.ToArray()));
        }
        Assert.Equal(DeflateChecksum.Crc32(0, Input), BinaryPrimitives.ReadUInt32LittleEndian(gzip.AsSpan(gzip.Length - 8)));
        Assert.Equal((uint)Input.Length, BinaryPrimitives.ReadUInt32LittleEndian(gzip.AsSpan(gzip.Length - 4)));
        Assert.Equal(Input.Length / BlockSize, Count(gzip, Framing.BlockMark));
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("async")]
    [InlineData("copyto")]
    public async Task Blocks_are_decompressed_as_parallel_requests(string path)
    {
        var gzip = Streams.Compress("gzip", Input, 6, Options);
        using var reader = new WarpDriveGZipStream(new MemoryStream(gzip), CompressionMode.Decompress, Options);
        var output = new MemoryStream();
        switch (path)
        {
            case "sync":
                var buffer = new byte[100_000];
                int n;
                while ((n = reader.Read(buffer)) > 0)
                    output.Write(buffer, 0, n);
                break;
            case "async":
                output.Write(await Streams.ReadAllAsync(reader, 65_536));
                break;
            default:
                await reader.CopyToAsync(output);
                break;
        }
        Assert.True(Input.AsSpan().SequenceEqual(output.ToArray()));
        // Nine marked blocks and the last one, all served from requests; no mark found wrong.
        Assert.Equal((10, 0), reader.ReaderStatistics);
    }

    [Fact]
    public void A_block_size_that_lies_costs_speed_not_data()
    {
        var gzip = Streams.Compress("gzip", Input, 6, Options);
        // The header now claims 64 KiB blocks: every block overflows its request and is read serially.
        BinaryPrimitives.WriteUInt32LittleEndian(gzip.AsSpan(16), 64 * 1024);
        var (output, statistics) = Read(gzip);
        Assert.True(Input.AsSpan().SequenceEqual(output));
        Assert.Equal((0, 1), statistics);
    }

    [Fact]
    public void Marks_inside_stored_data_are_found_wrong_and_read_serially()
    {
        // Incompressible data that holds the mark many times: deflate stores it, so the marks appear verbatim
        // inside stored blocks, where no block starts.
        var input = new byte[6 << 20];
        new Random(1952).NextBytes(input);
        for (int at = 1000; at + Framing.BlockMark.Length < input.Length; at += 200_000)
            Framing.BlockMark.CopyTo(input.AsSpan(at));
        var gzip = Streams.Compress("gzip", input, 6, Options);
        Assert.True(Count(gzip, Framing.BlockMark) > 20, "the data's marks were not stored verbatim");
        var (output, statistics) = Read(gzip);
        Assert.True(input.AsSpan().SequenceEqual(output));
        Assert.True(statistics.HintsIgnored >= 1, "a false mark was trusted");
        Assert.True(input.AsSpan().SequenceEqual(Streams.DecompressWithDotNet("gzip", gzip)));
    }

    [Fact]
    public void Marks_where_the_dictionary_was_kept_are_read_serially_with_the_window()
    {
        // A forged stream: sync flushes every 256 KiB with the dictionary kept, each followed by the extra empty
        // stored block of a mark, under a header that claims independent blocks.
        var forged = ForgedGzip.MarksWhereTheDictionaryWasKept(Input, BlockSize, 256 * 1024);
        Assert.True(Input.AsSpan().SequenceEqual(Streams.DecompressWithDotNet("gzip", forged)));
        var (output, statistics) = Read(forged);
        Assert.True(Input.AsSpan().SequenceEqual(output));
        Assert.Equal(1, statistics.JobsServed); // the first block stands alone; the second reaches back
        Assert.Equal(1, statistics.HintsIgnored);
    }

    [Fact]
    public void Multi_member_output_stays_available_and_is_read_in_parallel()
    {
        var options = new WarpDriveCompressionOptions { ChunkSize = Options.ChunkSize, IndependentBlockSize = BlockSize, GzipMultiMember = true };
        var gzip = Streams.Compress("gzip", Input, 6, options);
        Assert.Equal(10, Count(gzip, [0x1f, 0x8b, 0x08, 0x04]));
        var (output, statistics) = Read(gzip);
        Assert.True(Input.AsSpan().SequenceEqual(output));
        Assert.Equal((10, 0), statistics);
        Assert.True(Input.AsSpan().SequenceEqual(Streams.DecompressWithDotNet("gzip", gzip)));
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.99)]
    public void A_cut_single_member_stream_is_reported_as_truncated(double at)
    {
        var gzip = Streams.Compress("gzip", Input, 1, Options);
        var cut = gzip.AsSpan(0, (int)(gzip.Length * at)).ToArray();
        Assert.Throws<InvalidDataException>(() => Read(cut));
    }

    [Fact]
    public void Flushes_inside_the_member_leave_it_one_member()
    {
        var output = new MemoryStream();
        using (var writer = new WarpDriveGZipStream(output, 6, Options, leaveOpen: true))
        {
            for (int at = 0; at < Input.Length; at += 300_000)
            {
                writer.Write(Input.AsSpan(at, Math.Min(300_000, Input.Length - at)));
                writer.Flush();
            }
        }
        var gzip = output.ToArray();
        Assert.Equal(1, Count(gzip, [0x1f, 0x8b, 0x08]));
        Assert.True(Input.AsSpan().SequenceEqual(Read(gzip).Output));
        Assert.True(Input.AsSpan().SequenceEqual(Streams.DecompressWithDotNet("gzip", gzip)));
    }

    [Fact]
    public async Task A_live_source_that_paused_mid_block_is_read_to_its_last_flush()
    {
        // Several whole blocks and part of one more reach the reader, and the writer waits for it: the reader
        // must hand out everything flushed without waiting for the rest.
        var pipe = new System.IO.Pipelines.Pipe(new System.IO.Pipelines.PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0));
        var head = Input.AsMemory(0, (5 << 20) + 300_000);
        await using var writer = new WarpDriveGZipStream(pipe.Writer.AsStream(), 6, Options, leaveOpen: true);
        await writer.WriteAsync(head);
        await writer.FlushAsync();
        await using var reader = new WarpDriveGZipStream(pipe.Reader.AsStream(), CompressionMode.Decompress, Options);
        var decoded = new byte[head.Length];
        int have = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (have < decoded.Length)
            have += await reader.ReadAsync(decoded.AsMemory(have), timeout.Token);
        Assert.True(head.Span.SequenceEqual(decoded));
        await writer.WriteAsync(Input.AsMemory(head.Length));
        await writer.DisposeAsync();
        await pipe.Writer.CompleteAsync();
        var rest = await Streams.ReadAllAsync(reader, 1 << 16);
        Assert.True(Input.AsSpan(head.Length).SequenceEqual(rest));
    }

    private static (byte[] Output, (int JobsServed, int HintsIgnored) Statistics) Read(byte[] gzip)
    {
        using var reader = new WarpDriveGZipStream(new MemoryStream(gzip), CompressionMode.Decompress, Options);
        var output = new MemoryStream();
        reader.CopyTo(output);
        return (output.ToArray(), reader.ReaderStatistics);
    }

    private static int Count(ReadOnlySpan<byte> data, ReadOnlySpan<byte> pattern)
    {
        int count = 0, at;
        while ((at = data.IndexOf(pattern)) >= 0)
        {
            count++;
            data = data[(at + pattern.Length)..];
        }
        return count;
    }
}
