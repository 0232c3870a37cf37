using System.Diagnostics;

namespace WarpDrive.Scheduling;

/// <summary>
/// Requests too small to be worth a queue: the caller's threshold decides (as QATzip's <c>input_sz_thrshold</c>
/// sends small inputs to software in line), and the request runs here on the pool's inline device (the in-process engine).
/// </summary>
public sealed partial class AcceleratorPool
{
    /// <summary>
    /// Runs a request in software on the calling thread, bypassing every queue and device, and completes it as a
    /// device would (<see cref="AcceleratorRequest.ServedBy"/> = <c>software</c>). For requests whose round trip
    /// through a queue would cost more than the work: the same SQE, the same codecs, no thread hop. A stream-mode
    /// request's stream lives with the request object, so all of that stream's requests run in line; one
    /// abandoned before its end is freed with <see cref="AcceleratorRequest.ReleaseStream"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The request is in flight.</exception>
    public ValueTask RunInline(AcceleratorRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed, this);
        request.Begin();
        // Not one of the reaper's: it completes before this returns (a stale flag from the request's last run would
        // unbalance the reaper's count of asynchronous requests in flight).
        request.IsAsync = false;
        // No timeout watches a run in line: the clock is read only for a listener to durations.
        bool timed = _metrics.TimesRequests;
        request.StartTimestamp = timed ? Stopwatch.GetTimestamp() : 0;
        Span<byte> sqe = stackalloc byte[request.Sqe.Length];
        request.Pin();
        try
        {
            ExecuteInSoftware(request, sqe);
        }
        catch
        {
            // The executor answers bad input with a status; an exception is a bug, reported as such, the request released.
            request.Unpin();
            request.TryComplete(request.Original, "none", FallbackReason.None);
            throw;
        }
        Finish(request, sqe, "software", FallbackReason.None, timed ? Stopwatch.GetTimestamp() : 0);
        return request.AsValueTask();
    }
}
