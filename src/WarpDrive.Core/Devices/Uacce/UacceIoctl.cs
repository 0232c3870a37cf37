using System.Runtime.InteropServices;

namespace WarpDrive.Devices.Uacce;

/// <summary>
/// ioctl numbers of uacce and the HiSilicon QM (spec §1.1, §2), built with the asm-generic encoding that
/// x86_64 and arm64 share: <c>dir &lt;&lt; 30 | size &lt;&lt; 16 | type &lt;&lt; 8 | nr</c>.
/// </summary>
internal static class UacceIoctl
{
    private const uint None = 0;
    private const uint Write = 1; // _IOC_WRITE: user space writes, the kernel reads
    private const uint Read = 2;  // _IOC_READ: the kernel writes back

    private const uint TypeUacce = 'W';
    private const uint TypeHisiQm = 'H';

    /// <summary><c>UACCE_CMD_START_Q = _IO('W', 0)</c>.</summary>
    public const uint StartQ = (None << 30) | (TypeUacce << 8) | 0;

    /// <summary><c>UACCE_CMD_PUT_Q = _IO('W', 1)</c>: stop (new kernels) or stop and free (old kernels).</summary>
    public const uint PutQ = (None << 30) | (TypeUacce << 8) | 1;

    /// <summary><c>UACCE_CMD_GET_SS_DMA = _IOR('W', 3, unsigned long)</c> (uadk/openEuler): the device address of the static shared region.</summary>
    public const uint GetSsDma = (Read << 30) | (sizeof(ulong) << 16) | (TypeUacce << 8) | 3;

    /// <summary><c>UACCE_CMD_SHARE_SVAS = _IOW('W', 4, int)</c>, our module's extension: the argument is the source queue's fd, by value.</summary>
    public const uint ShareSvas = (Write << 30) | (sizeof(int) << 16) | (TypeUacce << 8) | 4;

    /// <summary><c>UACCE_CMD_QM_SET_QP_CTX = _IOWR('H', 10, struct hisi_qp_ctx)</c>.</summary>
    public const uint QmSetQpCtx = ((Read | Write) << 30) | (4 << 16) | (TypeHisiQm << 8) | 10;

    /// <summary><c>UACCE_CMD_QM_SET_QP_INFO = _IOWR('H', 11, struct hisi_qp_info)</c>.</summary>
    public const uint QmSetQpInfo = ((Read | Write) << 30) | (16 << 16) | (TypeHisiQm << 8) | 11;

    /// <summary>mmap offset of a region, in pages (<c>enum uacce_qfrt</c>).</summary>
    public const int RegionMmio = 0;
    /// <inheritdoc cref="RegionMmio"/>
    public const int RegionDus = 1;
    /// <inheritdoc cref="RegionMmio"/>
    public const int RegionSs = 2;
}

/// <summary><c>struct hisi_qp_ctx</c>: queue type in, queue pair index out.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct HisiQpCtx
{
    public ushort Id;
    public ushort QcType;
}

/// <summary><c>struct hisi_qp_info</c>: SQE size and ring depths, all out.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct HisiQpInfo
{
    public uint SqeSize;
    public ushort SqDepth;
    public ushort CqDepth;
    public ulong Reserved;
}
