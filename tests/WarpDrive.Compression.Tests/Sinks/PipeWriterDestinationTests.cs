using System.IO.Compression;
using System.IO.Pipelines;
using WarpDrive.Compression.Pipelines;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests.Sinks;

/// <summary>
/// The compressing pipe writer writes straight into its destination pipe's memory: the same bytes the stream path
/// writes, decodable by the gzip command, and a destination whose reader has gone stops it.
/// </summary>
public sealed class PipeWriterDestinationTests
{
    private static readonly byte[] Input = Corpus.Mixed(3_500_000);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string, int> FormatsAndFlushes => new()
    {
        { "gzip", int.MaxValue }, { "gzip", 1_234_567 },
        { "zlib", int.MaxValue }, { "zlib", 1_234_567 },
        { "deflate", int.MaxValue }, { "deflate", 1_234_567 },
    };

    [Theory]
    [MemberData(nameof(FormatsAndFlushes))]
    public async Task A_pipe_destination_receives_the_bytes_the_stream_path_writes(string format, int flushAt)
    {
        // The stream path: one write up to the flush point, a sync flush, the rest, dispose.
        var viaStream = new MemoryStream();
        using (var stream = Streams.WarpDrive(format, viaStream, level: 6, leaveOpen: true))
        {
            int first = Math.Min(flushAt, Input.Length);
            stream.Write(Input, 0, first);
            if (first < Input.Length)
            {
                stream.Flush();
                stream.Write(Input, first, Input.Length - first);
            }
        }

        // The pipe path, with the flush at the same place; GetSpan/Advance pieces do not change the chunking.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0));
        var writer = WarpDrivePipes.CreateCompressingWriter(pipe.Writer, Pipes.Format(format), CompressionLevel.Optimal);
        for (int at = 0; at < Input.Length;)
        {
            int n = Math.Min(Math.Min(77_777, Input.Length - at), at < flushAt ? flushAt - at : int.MaxValue);
            Input.AsSpan(at, n).CopyTo(writer.GetSpan(n));
            writer.Advance(n);
            at += n;
            if (at == flushAt && at < Input.Length)
                Assert.False((await writer.FlushAsync()).IsCompleted);
        }
        await writer.CompleteAsync();
        var viaPipe = await Pipes.DrainAsync(pipe.Reader).WaitAsync(Timeout);

        Assert.Equal(viaStream.ToArray(), viaPipe);
    }

    [Fact]
    public async Task The_gzip_command_decodes_what_the_pipe_writer_wrote()
    {
        var pipe = new Pipe();
        var writer = WarpDrivePipes.CreateCompressingWriter(pipe.Writer, WarpDrivePipeFormat.GZip, CompressionLevel.Fastest);
        var producer = Task.Run(async () =>
        {
            // Flushes mid-stream as a server would between messages.
            for (int at = 0; at < Input.Length; at += 500_000)
                Assert.False((await writer.WriteAsync(Input.AsMemory(at, Math.Min(500_000, Input.Length - at)))).IsCompleted);
            await writer.CompleteAsync();
        });
        var consumer = Task.Run(() => Pipes.DrainAsync(pipe.Reader));
        await Task.WhenAll(producer, consumer).WaitAsync(Timeout);

        var (output, error, code) = ProcessRunner.Run("gzip", "-dc", await consumer);
        Assert.True(code == 0, error);
        Assert.Equal(Input, output);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task A_reader_that_completes_mid_stream_stops_the_writer_without_failing_it(string format)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024));
        var writer = WarpDrivePipes.CreateCompressingWriter(pipe.Writer, Pipes.Format(format), CompressionLevel.Fastest);
        // The reader takes a little of the output, then walks away while the writer is held by backpressure.
        var reader = Task.Run(async () =>
        {
            var result = await pipe.Reader.ReadAsync();
            pipe.Reader.AdvanceTo(result.Buffer.End);
            await pipe.Reader.CompleteAsync();
        });
        FlushResult flushed = default;
        int at = 0;
        for (; at < Input.Length && !flushed.IsCompleted; at += 300_000)
            flushed = await writer.WriteAsync(Input.AsMemory(at, Math.Min(300_000, Input.Length - at))).AsTask().WaitAsync(Timeout);
        await reader.WaitAsync(Timeout);
        Assert.True(flushed.IsCompleted, "the writer never saw the reader go");
        Assert.True(at < Input.Length, "the whole input was compressed for nobody");

        // From then on every flush says so at once, and completing the writer is not an error.
        Input.AsSpan(0, 10_000).CopyTo(writer.GetSpan(10_000));
        writer.Advance(10_000);
        Assert.True((await writer.FlushAsync().AsTask().WaitAsync(Timeout)).IsCompleted);
        Assert.Equal(0, writer.UnflushedBytes);
        await writer.CompleteAsync().AsTask().WaitAsync(Timeout);
    }
}
