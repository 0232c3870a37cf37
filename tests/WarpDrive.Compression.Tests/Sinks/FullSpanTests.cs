using WarpDrive.Compression.DataPath;
using WarpDrive.Compression.OneShot;
using WarpDrive.Compression.Sinks;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests.Sinks;

/// <summary>
/// A one-shot destination that is too small is a status the compressor passes up (TryCompress returns false with
/// nothing written), at every point the output could run out, with no exception thrown on the way.
/// </summary>
public sealed class FullSpanTests
{
    // Four chunks, so the output is written in many pieces: headers, bodies, block marks, trailers.
    private static readonly WarpDriveCompressionOptions SmallChunks = new() { ChunkSize = WarpDriveCompressionOptions.MinChunkSize, IndependentBlockSize = 2 * WarpDriveCompressionOptions.MinChunkSize };
    private static readonly byte[] Input = Corpus.Mixed(4 * WarpDriveCompressionOptions.MinChunkSize - 1000);

    public static TheoryData<string> Formats => ["gzip", "zlib", "deflate"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Every_destination_shorter_than_the_output_is_a_false_return_with_nothing_written(string format)
    {
        // A one-chunk body: every length from empty to one short of the output.
        var input = Input.AsSpan(0, 1024);
        var whole = Compress(format, input, null, int.MaxValue, out bool fits, out _);
        Assert.True(fits);
        for (int length = 0; length < whole.Length; length++)
        {
            Assert.Empty(Compress(format, input, null, length, out fits, out int written));
            Assert.False(fits, $"{length} of {whole.Length}");
            Assert.Equal(0, written);
        }
        Assert.Equal(whole, Compress(format, input, null, whole.Length, out fits, out _));
        Assert.True(fits);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_destination_that_ends_at_or_beside_any_write_of_a_many_chunk_stream_is_a_false_return(string format)
    {
        var boundaries = WriteBoundaries(format, Input, SmallChunks);
        int total = boundaries[^1];
        Assert.True(boundaries.Count >= 4, $"only {boundaries.Count} writes"); // at least one per chunk
        foreach (int boundary in boundaries)
        {
            for (int length = boundary - 1; length <= boundary + 1; length++)
            {
                if (length < 0 || length >= total)
                    continue;
                Assert.Empty(Compress(format, Input, SmallChunks, length, out bool fits, out int written));
                Assert.False(fits, $"{length} of {total}");
                Assert.Equal(0, written);
            }
        }
        Assert.Equal(total, Compress(format, Input, SmallChunks, total, out bool whole, out _).Length);
        Assert.True(whole);
        Assert.Equal(Input, Streams.DecompressWithDotNet(format, Compress(format, Input, SmallChunks, total, out _, out _)));
    }

    [Fact]
    public void A_full_destination_throws_nothing_on_the_way()
    {
        int thread = Environment.CurrentManagedThreadId;
        var thrown = new List<string>();
        EventHandler<System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs> record = (_, e) =>
        {
            if (Environment.CurrentManagedThreadId == thread)
            {
                lock (thrown)
                    thrown.Add(e.Exception.GetType().Name);
            }
        };
        AppDomain.CurrentDomain.FirstChanceException += record;
        try
        {
            Assert.False(OneShotCodec.TryCompress(DeflateFormat.GZip, Input, new byte[1000], out _, 6, SmallChunks));
            Assert.False(OneShotCodec.TryCompress(DeflateFormat.ZLib, Input, new byte[1], out _, 1, SmallChunks));
            Assert.False(WarpDriveDeflateEncoder.TryCompress(Input, new byte[100], out _));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= record;
        }
        Assert.Empty(thrown);
    }

    [Fact]
    public void After_the_sink_refuses_every_step_returns_false_and_writes_nothing_more()
    {
        // One request in flight: the first chunk's output is written (and refused) while input is still coming.
        var sink = new RecordingSink(capacity: 100);
        var oneInFlight = new WarpDriveCompressionOptions { ChunkSize = WarpDriveCompressionOptions.MinChunkSize, MaxInFlight = 1 };
        using var compressor = new ChunkCompressor(sink, DeflateFormat.GZip, 6, oneInFlight);
        ReadOnlySpan<byte> input = Input;
        bool open = true;
        while (open)
        {
            compressor.Buffer(ref input);
            if (input.IsEmpty)
                break;
            open = compressor.MakeRoom();
        }
        Assert.False(open);
        Assert.True(compressor.OutputRefused);
        Assert.False(input.IsEmpty); // stopped early: the rest is never compressed
        int writes = sink.Writes.Count;
        Assert.False(compressor.MakeRoom());
        Assert.False(compressor.Flush());
        Assert.False(compressor.Finish());
        Assert.Equal(writes, sink.Writes.Count);
    }

    private static byte[] Compress(string format, ReadOnlySpan<byte> input, WarpDriveCompressionOptions? options, int capacity, out bool fits, out int written)
    {
        var destination = new byte[capacity == int.MaxValue ? (int)OneShotCodec.GetMaxCompressedLength(FormatOf(format), input.Length, options) : capacity];
        fits = OneShotCodec.TryCompress(FormatOf(format), input, destination, out written, 6, options);
        return destination[..written];
    }

    /// <summary>The running length of the output after each write the compressor makes.</summary>
    private static List<int> WriteBoundaries(string format, ReadOnlySpan<byte> input, WarpDriveCompressionOptions options)
    {
        var sink = new RecordingSink(int.MaxValue);
        using (var compressor = new ChunkCompressor(sink, FormatOf(format), 6, options))
        {
            while (true)
            {
                compressor.Buffer(ref input);
                if (input.IsEmpty)
                    break;
                Assert.True(compressor.MakeRoom());
            }
            Assert.True(compressor.Finish());
        }
        var boundaries = new List<int>();
        int at = 0;
        foreach (int n in sink.Writes)
            boundaries.Add(at += n);
        return boundaries;
    }

    private static DeflateFormat FormatOf(string format) => format switch
    {
        "gzip" => DeflateFormat.GZip,
        "zlib" => DeflateFormat.ZLib,
        _ => DeflateFormat.Deflate,
    };

    /// <summary>Records each write's length; refuses, and keeps refusing, once <c>capacity</c> would be passed.</summary>
    private sealed class RecordingSink(int capacity) : CompressedSink
    {
        private long _written;
        private bool _full;

        public List<int> Writes { get; } = [];

        public override bool Write(ReadOnlySpan<byte> data)
        {
            if (_full || _written + data.Length > capacity)
                return !(_full = true);
            _written += data.Length;
            Writes.Add(data.Length);
            return true;
        }

        public override ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => new(Write(data.Span));
    }
}
