namespace WarpDrive.Compression.Engine;

/// <summary>Waits for a pool request's task either asynchronously or, on the synchronous Stream path, by blocking.</summary>
internal static class RequestWaiter
{
    public static async ValueTask WaitAsync(ValueTask pending, bool useAsync)
    {
        if (useAsync)
            await pending.ConfigureAwait(false);
        else if (pending.IsCompleted)
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
