using WarpDrive.Drivers.Qm;
using WarpDrive.Interop;
using WarpDrive.Memory;
using WarpDrive.Queues;

namespace WarpDrive.Devices.Uacce;

/// <summary>
/// A queue on a uacce device: the QM user driver (<see cref="QmQueue"/>) over the rings the kernel maps into
/// the process. Opening follows uadk's order (spec §3.4): open, map DUS then MMIO, <c>SET_QP_CTX</c>,
/// <c>SET_QP_INFO</c>, check the ring geometry against the region size, <c>START_Q</c>. Disposing issues
/// <c>PUT_Q</c>, unmaps and closes, which works with both the old and the new <c>PUT_Q</c> behaviour.
/// </summary>
/// <remarks>
/// Once the device is removed (any call answers ENXIO, or poll reports an error), every operation throws
/// <see cref="DeviceRemovedException"/>; dispose the queue and open one elsewhere. The data path makes no
/// system call: our uacce module then backs the rings with stand-in pages whose stop words are set, so the
/// next send or receive throws <see cref="QueueStoppedException"/> (mainline zaps the mappings, and touching
/// them faults, as with uadk). A region reserved with
/// <see cref="ReserveMemory"/> keeps the kernel queue alive until the region is disposed too.
/// </remarks>
internal sealed unsafe partial class UacceQueue : QmQueue
{
    // uadk's assumption for kernels without SET_QP_INFO (spec §2): the QM default depth.
    private const int FallbackDepth = 1024;

    private readonly UacceDevice _device;
    private readonly UacceQueueFile _file;

    private UacceQueue(UacceDevice device, UacceQueueFile file, QmDusLayout layout, QmDoorbellFormat format, ushort qn,
        AcceleratorAlgorithm algorithm, int queueType)
        : base(device.Info, algorithm, queueType)
    {
        _device = device;
        _file = file;
        QueuePairId = qn;
        var port = new UaccePort(file, format);
        Attach(new QmQueuePair(file.Dus, layout, format, qn, port), port);
    }

    /// <summary>The queue pair index the device assigned (the <c>qn</c> of every doorbell).</summary>
    public int QueuePairId { get; }

    /// <summary>The character device this queue was opened on.</summary>
    public string DevicePath => _file.Path;

    internal static UacceQueue Open(UacceDevice device, AcceleratorAlgorithm algorithm, int queueType)
    {
        var info = device.Details;
        if (!info.Supports(algorithm))
            throw new ArgumentException($"{info.Name} does not serve '{algorithm}' (it serves {string.Join(", ", info.Algorithms)}).", nameof(algorithm));
        if (queueType is < 0 or > 2)
            throw new ArgumentOutOfRangeException(nameof(queueType), queueType, "qc_type must be 0..2.");
        var format = DoorbellFormatFor(info);
        var file = UacceQueueFile.Open(info.DevicePath, info.RegionDusSize, info.RegionMmioSize);
        try
        {
            var ctx = new HisiQpCtx { QcType = (ushort)queueType };
            file.Ioctl(UacceIoctl.QmSetQpCtx, "UACCE_CMD_QM_SET_QP_CTX", &ctx);
            var layout = QueryLayout(file, info, algorithm);
            file.Start();
            return new UacceQueue(device, file, layout, format, ctx.Id, algorithm, queueType);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The doorbell format the device's <c>api</c> names (v1 at MMIO + 0x340, anything later at + 0x1000),
    /// checked against the MMIO size so the doorbell store can never land outside the mapping.
    /// </summary>
    /// <exception cref="AcceleratorException">The api is not <c>hisi_qm_vN</c>, or the MMIO region is too small.</exception>
    internal static QmDoorbellFormat DoorbellFormatFor(UacceDeviceInfo info)
    {
        if (!QmDoorbell.TryParseApi(info.Api, out var format, out _))
            throw new AcceleratorException($"{info.Name}: api '{info.Api}' is not a HiSilicon QM api (hisi_qm_vN); the QM user driver cannot drive it.");
        if (info.RegionMmioSize < QmDoorbell.MinimumMmioSize(format))
            throw new AcceleratorException($"{info.Name}: the {info.RegionMmioSize}-byte MMIO region does not reach the {format} doorbell at 0x{QmDoorbell.Offset(format):x}.");
        return format;
    }

    /// <summary>SQE size and depths from the kernel (or uadk's defaults when it predates SET_QP_INFO), checked against the DUS size.</summary>
    private static QmDusLayout QueryLayout(UacceQueueFile file, UacceDeviceInfo info, AcceleratorAlgorithm algorithm)
    {
        var qp = default(HisiQpInfo);
        int errno = file.TryIoctl(UacceIoctl.QmSetQpInfo, &qp);
        if (errno is Errno.EINVAL or Errno.ENOTTY)
            qp = new HisiQpInfo { SqeSize = (uint)DefaultSqeSize(algorithm), SqDepth = FallbackDepth, CqDepth = FallbackDepth };
        else if (errno != 0)
            throw file.Fail(errno, "ioctl UACCE_CMD_QM_SET_QP_INFO on");

        var layout = new QmDusLayout((int)Math.Min(qp.SqeSize, int.MaxValue), qp.SqDepth, qp.CqDepth, Environment.SystemPageSize);
        try
        {
            layout.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new AcceleratorException($"{info.Name} reported an unusable queue geometry (sqe_size {qp.SqeSize}, depths {qp.SqDepth}/{qp.CqDepth}): {e.Message}", e);
        }
        if (layout.Size != info.RegionDusSize)
            throw new AcceleratorException($"{info.Name}: rings of {qp.SqDepth} × {qp.SqeSize}-byte SQEs need a {layout.Size}-byte DUS region, but region_dus_size is {info.RegionDusSize}.");
        return layout;
    }

    /// <summary>The SQE size an algorithm implies: 64 bytes for HPRE (rsa, dh), 128 for ZIP and everything else.</summary>
    internal static int DefaultSqeSize(AcceleratorAlgorithm algorithm) =>
        SqeFormat.For(algorithm).Size;

    private protected override void ThrowIfUnusable()
    {
        if (_file.Removed)
            throw new DeviceRemovedException($"device removed: {Device.Name} is gone; dispose the queue.");
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _file.Dispose();
        base.Dispose(disposing);
    }
}
