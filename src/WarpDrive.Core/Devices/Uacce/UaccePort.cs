using System.Diagnostics;
using WarpDrive.Drivers.Qm;
using WarpDrive.Interop;
using WarpDrive.Queues;

namespace WarpDrive.Devices.Uacce;

/// <summary>
/// The hardware side of <see cref="IQmPort"/>: the doorbell is one 64-bit store into the MMIO mapping, and a
/// thread sleeps in <c>poll()</c> on the queue fd until the device's completion interrupt wakes it (spec §1.6).
/// </summary>
internal sealed unsafe class UaccePort : IQmPort
{
    // Async waits block a pool thread in poll() for at most this long before looking at the cancellation token.
    private static readonly TimeSpan AsyncSlice = TimeSpan.FromMilliseconds(50);

    private readonly UacceQueueFile _file;
    private readonly ulong* _doorbell;

    public UaccePort(UacceQueueFile file, QmDoorbellFormat format)
    {
        _file = file;
        _doorbell = (ulong*)(file.Mmio + QmDoorbell.Offset(format));
    }

    /// <inheritdoc />
    public void Ring(ulong doorbell) =>
        // One store, never two 32-bit halves: the device latches the register on the 64-bit write. QmQueuePair
        // has already issued the full fence that orders the SQE bytes before it.
        Volatile.Write(ref *_doorbell, doorbell);

    /// <inheritdoc />
    public bool WaitForCompletion(TimeSpan timeout)
    {
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            int errno = Libc.TryPoll(_file.Fd, Libc.POLLIN, RemainingMilliseconds(timeout, start), out short revents);
            if (errno == Errno.EINTR)
                continue; // a signal, not an answer: wait for what is left
            if (errno != 0)
                throw _file.Fail(errno, "poll");
            if ((revents & (Libc.POLLERR | Libc.POLLHUP | Libc.POLLNVAL)) != 0)
            {
                // Our uacce reports a zombie queue this way; mainline returns 0 and the caller times out instead.
                _file.MarkRemoved();
                throw new DeviceRemovedException($"device removed: poll on {_file.Path} reported 0x{(ushort)revents:x}.");
            }
            return (revents & Libc.POLLIN) != 0;
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> WaitForCompletionAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled<bool>(cancellationToken);
        // poll() has no async form; slicing it keeps cancellation responsive without an eventfd per queue.
        return new ValueTask<bool>(Task.Run(() =>
        {
            long start = Stopwatch.GetTimestamp();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var left = timeout == Timeout.InfiniteTimeSpan ? AsyncSlice : timeout - Stopwatch.GetElapsedTime(start);
                if (left <= TimeSpan.Zero)
                    return false;
                if (WaitForCompletion(left < AsyncSlice ? left : AsyncSlice))
                    return true;
            }
        }, cancellationToken));
    }

    private static int RemainingMilliseconds(TimeSpan timeout, long start)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
            return -1;
        double ms = Math.Ceiling((timeout - Stopwatch.GetElapsedTime(start)).TotalMilliseconds);
        return ms <= 0 ? 0 : ms >= int.MaxValue ? int.MaxValue : (int)ms;
    }
}
