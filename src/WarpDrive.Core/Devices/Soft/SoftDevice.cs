using WarpDrive.Devices.Soft.Engines.Deflate;
using WarpDrive.Devices.Soft.Engines.Rsa;
using WarpDrive.Drivers.Qm;
using WarpDrive.Queues;

namespace WarpDrive.Devices.Soft;

/// <summary>
/// The in-process soft engine as a device: a faithful QM in memory (same DUS layout, doorbells, CQE phases,
/// results written back into the SQE slot) serving <c>deflate</c>, <c>zlib</c>, <c>gzip</c>, <c>rsa</c> and
/// <c>nop</c>. The embedded default on every machine, and the test double for the hardware path.
/// </summary>
public sealed class SoftDevice : IInlineDevice, IDisposable
{
    /// <summary>The arithmetic the soft engine's RSA runs on (for example <c>OpenSSL libcrypto 3.0.x</c>), for reports.</summary>
    public static string RsaImplementation => RsaSoftware.Implementation;

    /// <summary>The codecs the soft engine's compress requests run on, for reports.</summary>
    public static string CompressorImplementation => DeflateCodecs.Compressor;

    /// <summary>The codec the soft engine's stateless decompress requests run on (libdeflate where it loads), for reports.</summary>
    public static string StatelessDecompressorImplementation => DeflateCodecs.StatelessDecompressor;

    /// <summary>The codec the soft engine's stream-mode decompress requests run on (it resumes across requests), for reports.</summary>
    public static string StreamingDecompressorImplementation => DeflateCodecs.StreamingDecompressor;

    /// <summary>Algorithms the soft engine serves.</summary>
    public static readonly IReadOnlyList<string> SupportedAlgorithms = ["deflate", "zlib", "gzip", "rsa", "nop"];

    private readonly SoftEngineOptions _options;
    private readonly SoftEngine _engine;
    private readonly SoftStreamTable _streams = new();
    private readonly QmDoorbellFormat _format;
    private readonly bool[] _qpInUse;
    private readonly Lock _lock = new();
    private int _open;
    private bool _disposed;

    /// <summary>Starts a soft device and its worker threads.</summary>
    public SoftDevice(SoftEngineOptions? options = null)
    {
        _options = options ?? new SoftEngineOptions();
        _options.Validate();
        _ = QmDoorbell.TryParseApi(_options.Api, out _format, out _); // Validate() checked it parses.
        _qpInUse = new bool[_options.MaxQueues];
        _engine = new SoftEngine(_options, Faults);
    }

    /// <summary>Faults to inject into this device's requests and doorbells.</summary>
    internal SoftFaultInjector Faults { get; } = new();

    /// <summary>Worker threads executing requests.</summary>
    public int WorkerCount => _engine.WorkerCount;

    /// <summary>The device's name, as requests it served report it.</summary>
    public string Name => _options.Name;

    /// <inheritdoc />
    public AcceleratorDeviceInfo Info => new(_options.Name, AcceleratorKind.InProcess, _options.Api, SupportedAlgorithms,
        _options.Sva, _options.MaxQueues - Volatile.Read(ref _open), 0);

    /// <inheritdoc />
    public IAcceleratorQueue OpenQueue(AcceleratorAlgorithm algorithm, int queueType = 0)
    {
        if (!SupportedAlgorithms.Contains(algorithm.Name))
            throw new ArgumentException($"The soft engine does not serve '{algorithm}'.", nameof(algorithm));
        if (queueType is < 0 or > 2)
            throw new ArgumentOutOfRangeException(nameof(queueType), queueType, "qc_type must be 0..2.");
        var executor = CreateExecutor(algorithm, queueType);
        int sqeSize = SqeFormat.For(algorithm).Size;
        var layout = new QmDusLayout(sqeSize, _options.QueueDepth, _options.QueueDepth, Environment.SystemPageSize);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int qn = Array.IndexOf(_qpInUse, false);
            if (qn < 0)
                throw new AcceleratorException($"{_options.Name} has no free queue ({_options.MaxQueues} in use).");
            _qpInUse[qn] = true;
            _open++;
            var hardware = new SoftHardwareQueue(_engine, (ushort)qn, layout, _format, executor, _options.Sva, _streams);
            _engine.Add(hardware);
            return new SoftQueue(this, hardware, algorithm, queueType);
        }
    }

    // Stateless requests keep no stream state: one table serves every inline run on every thread.
    private static readonly SoftStreamTable s_statelessStreams = new();

    /// <inheritdoc />
    void IInlineDevice.RunInline(AcceleratorAlgorithm algorithm, int queueType, Span<byte> sqe, ref IDisposable? stream)
    {
        var executor = CreateExecutor(algorithm, queueType);
        if (!SqeFormat.For(algorithm).IsStreamMode(sqe))
        {
            executor.Execute(sqe, SoftAddressSpace.Process, s_statelessStreams);
            return;
        }
        // The request's own slot: its stream's runs are serial, and no other request's can reach it.
        if (stream is not SoftStreamSlot slot)
            stream = slot = new SoftStreamSlot();
        executor.Execute(sqe, SoftAddressSpace.Process, slot);
    }

    /// <summary>
    /// The executor for an algorithm and queue type; also what the pool runs in software when no device can.
    /// <c>echo</c> (the kernel tier's uacce_echo device) completes in software like <c>nop</c>.
    /// </summary>
    internal static ISoftExecutor CreateExecutor(AcceleratorAlgorithm algorithm, int queueType) => algorithm.Name switch
    {
        "rsa" => HpreExecutor.Instance,
        "nop" or "echo" => NopExecutor.Instance,
        _ => queueType == 1 ? ZipExecutor.Decompressor : ZipExecutor.Compressor,
    };

    internal void Close(SoftQueue queue)
    {
        _engine.Remove(queue.Hardware);
        queue.Hardware.Dispose();
        lock (_lock)
        {
            _qpInUse[queue.Hardware.Qn] = false;
            _open--;
        }
    }

    /// <summary>Stops the worker threads. Open queues must be disposed first.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
        }
        _engine.Dispose();
        _streams.Dispose();
    }
}
