using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>
/// Streams written the way a proxy writes a response: a small first piece, then 64 KiB pieces, each flushed, the
/// awaits hopping between thread-pool threads. Each piece is a request on whichever thread runs it, primed with the
/// previous piece's tail, and every thread keeps its own compressors between streams: no piece may depend on what
/// that thread compressed before.
/// </summary>
public sealed class FlushedStreamTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public async Task Flushed_pieces_on_hopping_threads_decode_exactly(int level)
    {
        int failures = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 120), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (run, token) =>
        {
            var random = new Random(run);
            int first = random.Next(1, 40_000), total = first + random.Next(1, 200_000);
            var body = run % 4 == 0 ? Corpus.BinaryBytes(total, run * 7919) : Corpus.TextBytes(total, run * 7919);
            var output = new MemoryStream();
            await using (var stream = new WarpDriveGZipStream(output, level, null, leaveOpen: true))
            {
                await stream.WriteAsync(body.AsMemory(0, first), token);
                await stream.FlushAsync(token);
                await Task.Yield();
                for (int at = first; at < total; at += 64 * 1024)
                {
                    await stream.WriteAsync(body.AsMemory(at, Math.Min(64 * 1024, total - at)), token);
                    await stream.FlushAsync(token);
                    await Task.Yield();
                }
            }
            if (!body.AsSpan().SequenceEqual(Streams.DecompressWithDotNet("gzip", output.ToArray())))
                Interlocked.Increment(ref failures);
        });
        Assert.Equal(0, failures);
    }
}
