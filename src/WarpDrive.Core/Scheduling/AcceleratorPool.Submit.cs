using System.Buffers.Binary;
using System.Diagnostics;
using WarpDrive.Queues;

namespace WarpDrive.Scheduling;

public sealed partial class AcceleratorPool
{
    private const int MaxBatch = 64;

    // Scratch for single sends, so the per-request path allocates nothing. Completions never run user code
    // on the submitting thread (continuations are asynchronous), so a send cannot re-enter this.
    [ThreadStatic]
    private static AcceleratorRequest[]? t_single;
    [ThreadStatic]
    private static Lane?[]? t_singleLane;

    /// <summary>Sends one request. Returns its lane, or null when it already completed (in software).</summary>
    /// <param name="request">The request.</param>
    /// <param name="isAsync">The caller awaits the request's task (the reaper completes it).</param>
    /// <param name="quietly">The caller runs the request itself when the device allows (see <see cref="RunOnCallerOrRing"/>).</param>
    private Lane? Submit(AcceleratorRequest request, bool isAsync, bool quietly = false)
    {
        var single = t_single ??= new AcceleratorRequest[1];
        var lanes = t_singleLane ??= new Lane?[1];
        single[0] = request;
        try
        {
            SubmitBatch(single, isAsync, lanes, quietly);
            return lanes[0];
        }
        finally
        {
            single[0] = null!;
            lanes[0] = null;
        }
    }

    private Lane?[] SubmitBatch(IReadOnlyList<AcceleratorRequest> requests, bool isAsync)
    {
        var lanes = new Lane?[requests.Count];
        SubmitBatch(requests, isAsync, lanes, quietly: false);
        return lanes;
    }

    /// <summary>Sends requests, several SQEs per doorbell, recording each one's lane (null: completed in software).</summary>
    private void SubmitBatch(IReadOnlyList<AcceleratorRequest> requests, bool isAsync, Lane?[] lanes, bool quietly)
    {
        // Refuse the whole batch before starting any of it: a half-started batch would strand its first requests.
        foreach (var request in requests)
            request.ThrowIfInFlight();
        long now = Stopwatch.GetTimestamp(); // one clock read for the batch
        foreach (var request in requests)
        {
            request.Begin();
            request.Pin();
            request.StartTimestamp = now;
            if (isAsync)
                Interlocked.Increment(ref _asyncOutstanding);
            request.IsAsync = isAsync;
        }
        int next = 0;
        while (next < requests.Count)
        {
            var first = requests[next];
            var lane = GetLane(first.Algorithm, first.QueueType);
            if (lane is null)
            {
                RunInSoftware(first, FallbackReason.NoQueue, "none");
                next++;
                continue;
            }
            lane.Enter();
            try
            {
                if (lane.Dead)
                    continue;
                if (lane.Room <= 0 && !WaitForRoom(lane))
                    continue;
                int sent = SendSome(lane, requests, next, lanes, quietly);
                next += sent;
            }
            catch (AcceleratorException e)
            {
                FailLane(lane, ReasonOf(e), e);
            }
            finally
            {
                lane.Exit();
            }
        }
        if (isAsync)
            WakeReaper();
    }

    /// <summary>Drains completions until the lane has room. False when the lane died meanwhile.</summary>
    private bool WaitForRoom(Lane lane)
    {
        var spin = new SpinWait();
        while (lane.Room <= 0)
        {
            if (!Drain(lane))
            {
                CheckStalled(lane);
                if (lane.Dead)
                    return false;
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }
        return true;
    }

    /// <summary>
    /// Writes as many of <paramref name="requests"/> (from <paramref name="start"/>, same algorithm) as the lane
    /// takes straight into its SQ ring, and publishes them with one doorbell.
    /// </summary>
    /// <remarks><paramref name="quietly"/>: the caller will run a lone request itself, so the doorbell wakes no device thread.</remarks>
    private int SendSome(Lane lane, IReadOnlyList<AcceleratorRequest> requests, int start, Lane?[] lanes, bool quietly)
    {
        var first = requests[start];
        var queue = lane.Queue;
        int room = Math.Min(MaxBatch, lane.Room);
        int slot = queue.NextSlot;
        int depth = queue.Depth;
        int count = 0;
        for (int i = start; i < requests.Count && count < room; i++)
        {
            var request = requests[i];
            if (request.Algorithm != first.Algorithm || request.QueueType != first.QueueType || request.Format.Size != queue.SqeSize)
                break;
            // The one copy the protocol needs: the request into its ring slot, where the device reads it.
            var sqe = queue.Unsent(count);
            request.Original.CopyTo(sqe);
            int s = (slot + count) % depth;
            if (!MapBuffers(lane, request, sqe, s))
            {
                // Does not fit the shared region: send what is written, run this one in software.
                if (count == 0)
                {
                    RunInSoftware(request, FallbackReason.NoSharedMemory, lane.DeviceName);
                    return 1;
                }
                break;
            }
            request.Tag = ++lane.NextTag;
            request.Format.WriteTag(sqe, request.Tag);
            lane.Pending[s] = request;
            request.Lane = lane;
            lanes[i] = lane;
            count++;
        }
        // An idle lane's progress clock starts with this batch (whose clock read is the requests' start).
        if (lane.Outstanding == 0)
            lane.LastProgress = requests[start].StartTimestamp;
        lane.Outstanding += count;
        try
        {
            queue.Publish(count, quietly && count == 1);
        }
        catch
        {
            // Nothing was published: take the requests back so the lane failure re-runs none of them twice.
            for (int k = 0; k < count; k++)
            {
                int s = (slot + k) % depth;
                Unstage(lane, lane.Pending[s]!, s, copyOut: false);
                lane.Pending[s]!.Lane = null;
                lane.Pending[s] = null;
                lanes[start + k] = null;
            }
            lane.Outstanding -= count;
            throw;
        }
        return count;
    }

    /// <summary>Writes each buffer's device address into the SQE: a pinned pointer with SVA, a staged region offset without.</summary>
    private static bool MapBuffers(Lane lane, AcceleratorRequest request, Span<byte> sqe, int slot)
    {
        if (lane.Region is null)
        {
            for (int b = 0; b < request.BufferCount; b++)
                BinaryPrimitives.WriteUInt64LittleEndian(sqe[request.Buffer(b).Offset..], request.PinnedAddress(b));
            return true;
        }
        for (int b = 0; b < request.BufferCount; b++)
        {
            ref var buffer = ref request.Buffer(b);
            if (!lane.Allocator!.TryAllocate(buffer.Buffer.Length, out long offset))
            {
                for (int u = 0; u < b; u++)
                    lane.Allocator.Free(lane.Staged[Lane.StagedIndex(slot, u)], request.Buffer(u).Buffer.Length);
                return false;
            }
            lane.Staged[Lane.StagedIndex(slot, b)] = offset;
            if ((buffer.Access & BufferAccess.Read) != 0 && buffer.Buffer.Length > 0)
                buffer.Buffer.Span.CopyTo(lane.Region.GetSpan(offset, buffer.Buffer.Length));
            BinaryPrimitives.WriteUInt64LittleEndian(sqe[buffer.Offset..], lane.Region.DeviceAddress(offset, buffer.Buffer.Length));
        }
        return true;
    }

    /// <summary>Copies written buffers back out of the shared region (when the result is kept) and frees the staging.</summary>
    private static void Unstage(Lane lane, AcceleratorRequest request, int slot, bool copyOut)
    {
        if (lane.Region is null)
            return;
        for (int b = 0; b < request.BufferCount; b++)
        {
            ref var buffer = ref request.Buffer(b);
            long offset = lane.Staged[Lane.StagedIndex(slot, b)];
            if (copyOut && (buffer.Access & BufferAccess.Write) != 0 && buffer.Buffer.Length > 0)
                lane.Region.GetSpan(offset, buffer.Buffer.Length).CopyTo(buffer.Buffer.Span);
            lane.Allocator!.Free(offset, buffer.Buffer.Length);
        }
    }

    private static FallbackReason ReasonOf(Exception e) => e switch
    {
        QueueStoppedException => FallbackReason.QueueStopped,
        DeviceRemovedException => FallbackReason.DeviceRemoved,
        TimeoutException => FallbackReason.Timeout,
        _ => FallbackReason.DeviceError,
    };
}
