using WarpDrive.Scheduling;

namespace WarpDrive.Compression.DataPath;

/// <summary>
/// Waits on the calling thread for a request sent with <see cref="AcceleratorPool.RunAsync"/>, for the synchronous
/// Stream path: it drains the request's queue itself (<see cref="AcceleratorPool.Wait"/>), which spares the task
/// continuation and its thread-pool hop. Asynchronous callers await the request's task instead.
/// </summary>
internal static class RequestWaiter
{
    public static void Wait(AcceleratorPool pool, AcceleratorRequest request, ValueTask pending)
    {
        pool.Wait(request);
        if (pending.IsCompleted)
        {
            pending.GetAwaiter().GetResult();
            return;
        }
        // Not on a queue this thread can drain (run by a pool worker, or completing on another thread just now): the
        // task is completed by that thread, not by a continuation, so blocking here needs no free pool thread and
        // cannot deadlock under a SynchronizationContext.
        pending.AsTask().GetAwaiter().GetResult();
    }
}
