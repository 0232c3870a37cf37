using System.IO.Pipes;

namespace WarpDrive.Cli.Measurements;

/// <summary>
/// The same hand-off as a queue round trip, through a pair of anonymous pipes between two threads: one byte there,
/// one byte back, each a blocking <c>write</c> and <c>read</c> system call.
/// </summary>
internal sealed class PipeRoundTrip : IMeasurable
{
    private readonly AnonymousPipeServerStream _pingOut = new(PipeDirection.Out);
    private readonly AnonymousPipeClientStream _pingIn;
    private readonly AnonymousPipeServerStream _pongOut = new(PipeDirection.Out);
    private readonly AnonymousPipeClientStream _pongIn;
    private readonly Thread _echo;
    private readonly byte[] _byte = new byte[1];

    public PipeRoundTrip()
    {
        _pingIn = new AnonymousPipeClientStream(PipeDirection.In, _pingOut.ClientSafePipeHandle);
        _pongIn = new AnonymousPipeClientStream(PipeDirection.In, _pongOut.ClientSafePipeHandle);
        _echo = new Thread(Echo) { IsBackground = true, Name = "pipe echo" };
        _echo.Start();
    }

    public string System => "pipe";
    public string Operation => "round_trip";
    public MeasureUnit Unit => MeasureUnit.Nanoseconds;
    public int OperationsPerIteration => 1;
    public IReadOnlyDictionary<string, object> Details { get; } = new Dictionary<string, object> { ["mechanism"] = "anonymous pipe pair, 1 byte each way" };

    private void Echo()
    {
        var b = new byte[1];
        try
        {
            while (_pingIn.Read(b, 0, 1) == 1)
                _pongOut.Write(b, 0, 1);
        }
        catch (IOException)
        {
            // The other end closed: the measurement is over.
        }
        catch (ObjectDisposedException)
        {
            // Likewise.
        }
    }

    public void Run(long iterations)
    {
        var b = _byte;
        for (long i = 0; i < iterations; i++)
        {
            _pingOut.Write(b, 0, 1);
            if (_pongIn.Read(b, 0, 1) != 1)
                throw new IOException("The pipe echo thread stopped.");
        }
    }

    public void Dispose()
    {
        _pingOut.Dispose(); // EOF for the echo thread
        _echo.Join(TimeSpan.FromSeconds(5));
        _pingIn.Dispose();
        _pongOut.Dispose();
        _pongIn.Dispose();
    }
}

/// <summary>The same hand-off through a pair of <see cref="SemaphoreSlim"/>s between two threads (spin, then a kernel wait).</summary>
internal sealed class SemaphoreRoundTrip : IMeasurable
{
    private readonly SemaphoreSlim _ping = new(0);
    private readonly SemaphoreSlim _pong = new(0);
    private readonly Thread _echo;
    private volatile bool _stop;

    public SemaphoreRoundTrip()
    {
        _echo = new Thread(Echo) { IsBackground = true, Name = "semaphore echo" };
        _echo.Start();
    }

    public string System => "SemaphoreSlim";
    public string Operation => "round_trip";
    public MeasureUnit Unit => MeasureUnit.Nanoseconds;
    public int OperationsPerIteration => 1;
    public IReadOnlyDictionary<string, object> Details { get; } = new Dictionary<string, object> { ["mechanism"] = "SemaphoreSlim pair" };

    private void Echo()
    {
        while (true)
        {
            _ping.Wait();
            if (_stop)
                return;
            _pong.Release();
        }
    }

    public void Run(long iterations)
    {
        for (long i = 0; i < iterations; i++)
        {
            _ping.Release();
            _pong.Wait();
        }
    }

    public void Dispose()
    {
        _stop = true;
        _ping.Release();
        _echo.Join(TimeSpan.FromSeconds(5));
        _ping.Dispose();
        _pong.Dispose();
    }
}
