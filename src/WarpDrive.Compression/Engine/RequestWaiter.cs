using WarpDrive.Scheduling;

namespace WarpDrive.Compression.Engine;

/// <summary>
/// Waits for a request sent with <see cref="AcceleratorPool.RunAsync"/>: asynchronously by awaiting its task, or, on
/// the synchronous Stream path, by draining its queue on this thread (<see cref="AcceleratorPool.Wait"/>), which
/// spares the task continuation and its thread-pool hop.
/// </summary>
internal static class RequestWaiter
{
    public static async ValueTask WaitAsync(AcceleratorPool pool, AcceleratorRequest request, ValueTask pending, bool useAsync)
    {
        if (useAsync)
        {
            await pending.ConfigureAwait(false);
            return;
        }
        pool.Wait(request);
        if (pending.IsCompleted)
            pending.GetAwaiter().GetResult();
        else
            pending.AsTask().GetAwaiter().GetResult();
    }
}

/// <summary>Runs the synchronous path of a <c>useAsync: false</c> core method, which completes before it returns.</summary>
internal static class SyncPath
{
    public static void Run(ValueTask task)
    {
        if (task.IsCompleted)
            task.GetAwaiter().GetResult();
        else
            task.AsTask().GetAwaiter().GetResult();
    }
}
