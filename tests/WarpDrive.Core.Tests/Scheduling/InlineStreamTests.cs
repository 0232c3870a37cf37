using System.IO.Compression;
using WarpDrive.Drivers.Qm;
using WarpDrive.Hashing;
using WarpDrive.Queues;
using WarpDrive.Scheduling;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Tests.Scheduling;

/// <summary>Stream-mode requests run in line: the stream lives with the request object, continues across runs and is freed on release.</summary>
public class InlineStreamTests
{
    private static readonly byte[] Input = Corpus.TextBytes(300_000);
    private static readonly byte[] Compressed = DeflateWithDotNet(Input);

    [Fact]
    public async Task A_stream_continues_across_inline_runs_of_one_request_to_its_end()
    {
        using var pool = new AcceleratorPool(new WarpDriveOptions());
        var request = new AcceleratorRequest(AcceleratorAlgorithm.Gzip, queueType: 1);
        var context = new byte[64];
        var output = new MemoryStream();
        var staging = new byte[8192];
        int at = 0, runs = 0;
        uint checksum = 0;
        ZipStatus status;
        do
        {
            // Input in slices of 10,000 bytes, output in 8 KiB: the stream must resume on both sides.
            int length = Math.Min(10_000, Compressed.Length - at);
            Describe(request, Compressed.AsMemory(at, length), staging, context, newStream: runs == 0, checksum);
            var run = pool.RunInline(request);
            Assert.True(run.IsCompletedSuccessfully, "an inline run completes before it returns");
            await run;
            var result = new ZipSqeView(request.Sqe);
            status = result.Status;
            Assert.True(status is ZipStatus.Ok or ZipStatus.DecompressEnd, $"run {runs}: status {status}");
            Assert.Equal("software", request.ServedBy);
            output.Write(staging, 0, (int)result.Produced);
            at += (int)result.Consumed;
            checksum = result.Checksum;
            runs++;
        }
        while (status != ZipStatus.DecompressEnd && runs < 10_000);
        Assert.Equal(ZipStatus.DecompressEnd, status);
        Assert.True(runs > 30, $"{runs} runs");
        Assert.True(Input.AsSpan().SequenceEqual(output.ToArray()));
        // The engine carried the gzip CRC across the runs.
        Assert.Equal(DeflateChecksum.Crc32(0, Input), checksum);
    }

    [Fact]
    public async Task A_continuing_request_without_its_stream_is_an_error_status_not_an_exception()
    {
        using var pool = new AcceleratorPool(new WarpDriveOptions());
        var staging = new byte[8192];
        var context = new byte[64];
        var started = new AcceleratorRequest(AcceleratorAlgorithm.Gzip, queueType: 1);
        Describe(started, Compressed.AsMemory(0, 5000), staging, context, newStream: true, checksum: 0);
        await pool.RunInline(started);
        Assert.Equal(ZipStatus.Ok, new ZipSqeView(started.Sqe).Status);
        int consumed = (int)new ZipSqeView(started.Sqe).Consumed;

        // Another request object holds no stream, whatever its context buffer says.
        var stranger = new AcceleratorRequest(AcceleratorAlgorithm.Gzip, queueType: 1);
        Describe(stranger, Compressed.AsMemory(consumed, 5000), staging, context, newStream: false, checksum: 0);
        await pool.RunInline(stranger);
        Assert.Equal(ZipStatus.StreamLost, new ZipSqeView(stranger.Sqe).Status);

        // Released midway, the stream is gone for its own request too.
        started.ReleaseStream();
        Describe(started, Compressed.AsMemory(consumed, 5000), staging, context, newStream: false, checksum: 0);
        await pool.RunInline(started);
        Assert.Equal(ZipStatus.StreamLost, new ZipSqeView(started.Sqe).Status);
    }

    private static void Describe(AcceleratorRequest request, Memory<byte> input, byte[] output, byte[] context, bool newStream, uint checksum)
    {
        request.Reset();
        _ = new ZipSqe(request.Sqe)
        {
            Layout = ZipSqeLayout.V3,
            WindowCode = ZipSqe.WindowCode32KiB,
            RequestType = ZipRequestType.Gzip,
            StreamMode = true,
            NewStream = newStream,
            InputLength = (uint)input.Length,
            OutputCapacity = (uint)output.Length,
            Checksum = checksum,
        };
        request.AttachBuffer(ZipSqe.SourceAddressOffset, input, BufferAccess.Read);
        request.AttachBuffer(ZipSqe.DestinationAddressOffset, output, BufferAccess.Write);
        request.AttachBuffer(ZipSqe.StreamContextAddressOffset, context, BufferAccess.ReadWrite);
    }

    private static byte[] DeflateWithDotNet(byte[] input)
    {
        var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
            deflate.Write(input);
        return output.ToArray();
    }
}
