using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests.Sinks;

/// <summary>
/// The synchronous Stream members run the same core as the asynchronous ones, waiting on the calling thread: under
/// a single-threaded SynchronizationContext nothing is posted to it, so nothing can deadlock on it.
/// </summary>
public sealed class SynchronousPathTests
{
    private static readonly byte[] Input = Corpus.Mixed(6_000_000);

    [Theory]
    [InlineData("gzip")]
    [InlineData("zlib")]
    [InlineData("deflate")]
    public void Synchronous_compression_and_decompression_never_post_to_the_caller_context(string format)
    {
        var context = new RefusingContext();
        byte[] compressed = [];
        byte[] decompressed = [];
        var thread = new Thread(() =>
        {
            SynchronizationContext.SetSynchronizationContext(context);
            var output = new MemoryStream();
            using (var stream = Streams.WarpDrive(format, output, level: 1, leaveOpen: true))
            {
                for (int at = 0; at < Input.Length; at += 700_000)
                {
                    stream.Write(Input, at, Math.Min(700_000, Input.Length - at));
                    if (at == 2_100_000)
                        stream.Flush();
                }
            }
            compressed = output.ToArray();
            using var reader = Streams.WarpDriveReader(format, new MemoryStream(compressed));
            var copy = new MemoryStream();
            reader.CopyTo(copy);
            decompressed = copy.ToArray();
        });
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "the synchronous path blocked");
        Assert.Equal(0, context.Posts);
        Assert.Equal(Input, decompressed);
        Assert.Equal(Input, Streams.DecompressWithDotNet(format, compressed));
    }

    /// <summary>A context that runs nothing posted to it (as a UI thread blocked in a sync call would), counting the posts.</summary>
    private sealed class RefusingContext : SynchronizationContext
    {
        private int _posts;

        public int Posts => Volatile.Read(ref _posts);

        public override void Post(SendOrPostCallback d, object? state) => Interlocked.Increment(ref _posts);

        public override void Send(SendOrPostCallback d, object? state) => Interlocked.Increment(ref _posts);
    }
}
