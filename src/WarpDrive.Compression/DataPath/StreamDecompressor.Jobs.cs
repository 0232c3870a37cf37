using WarpDrive.Drivers.Qm;
using WarpDrive.Hashing;
using WarpDrive.Scheduling;

namespace WarpDrive.Compression.DataPath;

/// <summary>The parallel reader's requests: sent in input order, several in flight, served in the same order.</summary>
internal sealed partial class StreamDecompressor
{
    /// <summary>Blocks and members served from parallel requests.</summary>
    public int JobsServed { get; private set; }

    /// <summary>Times a block mark or member index did not hold and the rest was read serially.</summary>
    public int HintsIgnored { get; private set; }

    private readonly Stack<DecodeJob> _freeJobs = new();

    private DecodeJob TakeJob(bool block)
    {
        var job = _freeJobs.Count > 0 ? _freeJobs.Pop() : new DecodeJob();
        job.IsBlock = block;
        return job;
    }

    /// <summary>
    /// Sends <paramref name="job"/>'s body as one stateless gzip-type decompress request (the device reports the
    /// CRC-32 of what it produced) into <see cref="DecodeJob.OutputLength"/> bytes of output, and queues it.
    /// </summary>
    private void Send(DecodeJob job, CancellationToken cancellationToken)
    {
        var request = job.Request;
        request.Reset();
        _ = new ZipSqe(request.Sqe)
        {
            Layout = ZipSqeLayout.V3,
            WindowCode = ZipSqe.WindowCode32KiB,
            RequestType = ZipRequestType.Gzip,
            InputLength = (uint)job.BodyLength,
            OutputCapacity = (uint)job.OutputLength,
            NewStream = true,
            Finish = true,
        };
        request.AttachBuffer(ZipSqe.SourceAddressOffset, job.Input.AsMemory(0, job.BodyLength), BufferAccess.Read);
        request.AttachBuffer(ZipSqe.DestinationAddressOffset, job.Output.AsMemory(0, job.OutputLength), BufferAccess.Write);
#pragma warning disable CA2012 // Kept until the job's turn comes, then awaited exactly once.
        job.Pending = _pool!.RunAsync(request, cancellationToken);
#pragma warning restore CA2012
        _bytesInFlight += job.Budget;
        _jobs.Enqueue(job);
    }

    /// <summary>Waits for the oldest request and serves its output, or reads its input serially when it failed.</summary>
    private async ValueTask ServeNextJobAsync()
    {
        var job = await WaitOldestAsync().ConfigureAwait(false);
        bool holds = job.Request.Succeeded && ResultHolds(job);
        if (job.Request.Succeeded && !holds)
        {
            // The output is not what the device says it produced: a device fault, not the data's.
            _pool!.RerunRejected(job.Request);
            holds = job.Request.Succeeded && ResultHolds(job);
        }
        bool decoded = holds && (job.IsBlock ? BlockDecoded(job) : MemberDecoded(job));
        if (!decoded)
        {
            HintsIgnored++;
            if (job.IsBlock)
                await ReadBlocksSeriallyAsync(job).ConfigureAwait(false);
            else
                await ReadMembersSeriallyAsync(job).ConfigureAwait(false);
            return;
        }
        if (job.IsBlock)
            Served(job);
        JobsServed++;
        _serving = job;
        _servingAt = 0;
    }

    /// <summary>The CRC-32 of the output, computed here, equals the one the device reports for it.</summary>
    private bool ResultHolds(DecodeJob job)
    {
        var sqe = new ZipSqe(job.Request.Sqe);
        int capacity = job.IsBlock ? _blockSize : job.OutputLength;
        if (sqe.Produced > (uint)capacity)
            return false;
        job.OutputCrc = DeflateChecksum.Crc32(0, job.Output.AsSpan(0, (int)sqe.Produced));
        return job.OutputCrc == sqe.Checksum;
    }

    private async ValueTask<DecodeJob> WaitOldestAsync()
    {
        var job = _jobs.Dequeue();
        _bytesInFlight -= job.Budget;
        try
        {
            await WaitForAsync(job).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Cancelled before it was sent: the device never had its buffers; the job reads as failed.
        }
        finally
        {
            job.Pending = default;
        }
        return job;
    }

    /// <summary>Waits for every queued request (the device owns their buffers until it answers) and hands them back in order.</summary>
    private async ValueTask<List<DecodeJob>> DrainJobsAsync()
    {
        var drained = new List<DecodeJob>(_jobs.Count);
        while (_jobs.Count > 0)
            drained.Add(await WaitOldestAsync().ConfigureAwait(false));
        return drained;
    }

    /// <summary>
    /// Puts a job that failed, and every job queued after it, back in front of the input in order (each later one
    /// after <paramref name="separator"/>, if any), once the device has answered them all, and frees them.
    /// </summary>
    private async ValueTask UnreadQueuedAsync(DecodeJob failed, byte[]? separator)
    {
        var later = await DrainJobsAsync().ConfigureAwait(false);
        var parts = new List<ReadOnlyMemory<byte>> { failed.Input.AsMemory(0, failed.SourceLength) };
        foreach (var job in later)
        {
            if (separator is not null)
                parts.Add(separator);
            parts.Add(job.Input.AsMemory(0, job.SourceLength));
        }
        Unread([.. parts]);
        Recycle(failed);
        foreach (var job in later)
            Recycle(job);
    }

    /// <summary>Returns a served or abandoned job's buffers and keeps the job (its request) for the next one.</summary>
    private void Recycle(DecodeJob job)
    {
        job.Release();
        _freeJobs.Push(job);
    }
}
