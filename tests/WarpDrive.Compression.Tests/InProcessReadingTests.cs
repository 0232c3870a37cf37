using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Scheduling;
using WarpDrive.Scheduling.Diagnostics;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>
/// Data the in-process engine alone serves is read through the pool, in line: requests the pool counts as served in
/// software, and an inflater a reader hands on (abandoned midway or finished) starts the next body clean.
/// </summary>
public sealed class InProcessReadingTests
{
    private static readonly byte[] Input = Corpus.Mixed(1_500_000);

    [Theory]
    [InlineData("gzip")]
    [InlineData("zlib")]
    [InlineData("deflate")]
    public void Foreign_data_is_read_as_inline_requests_the_pool_counts(string format)
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var pool = new AcceleratorPool(new WarpDriveOptions(), meterFactory: meters);
        long software = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == "warpdrive.requests")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "warpdrive.device" && (string?)tag.Value == "software")
                    Interlocked.Add(ref software, value);
            }
        });
        listener.Start();

        var compressed = Streams.CompressWithDotNet(format, Input);
        var decoded = Streams.Decompress(format, compressed, new WarpDriveCompressionOptions { Pool = pool, StreamDecompression = StreamDecompressionMode.InProcess });

        Assert.True(Input.AsSpan().SequenceEqual(decoded));
        // At least one request per 128 KiB of input buffered, all on this thread, none through a queue.
        Assert.True(Interlocked.Read(ref software) >= compressed.Length / (128 * 1024), $"{software} requests counted");
    }

    [Fact]
    public void A_reader_abandoned_midway_leaves_the_next_reader_on_its_thread_a_clean_stream()
    {
        var options = new WarpDriveCompressionOptions { StreamDecompression = StreamDecompressionMode.InProcess };
        var first = Streams.CompressWithDotNet("gzip", Input);
        var second = Streams.CompressWithDotNet("gzip", Corpus.TextBytes(400_000, offset: 12_345));
        using (var abandoned = Streams.WarpDriveReader("gzip", new MemoryStream(first), options))
        {
            var buffer = new byte[50_000];
            Assert.Equal(buffer.Length, abandoned.ReadAtLeast(buffer, buffer.Length));
        }
        Assert.True(Corpus.TextBytes(400_000, offset: 12_345).AsSpan().SequenceEqual(Streams.Decompress("gzip", second, options)));
        // And the other way round: a finished reader's inflater serves a zlib reader next, then a gzip one again.
        Assert.True(Input.AsSpan().SequenceEqual(Streams.Decompress("zlib", Streams.CompressWithDotNet("zlib", Input), options)));
        Assert.True(Input.AsSpan().SequenceEqual(Streams.Decompress("gzip", first, options)));
    }
}
