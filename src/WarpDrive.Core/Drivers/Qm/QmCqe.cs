using System.Runtime.InteropServices;

namespace WarpDrive.Drivers.Qm;

/// <summary>A 16-byte completion queue entry (spec §3.4), little endian.</summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
internal struct QmCqe
{
    public uint Reserved0;
    public ushort CmdId;
    public ushort Reserved1;
    public ushort SqHead;
    public ushort SqNum;
    public ushort Reserved2;
    /// <summary>Bit 0 is the phase.</summary>
    public ushort W7;

    public const int W7Offset = 14;
    public const int SqHeadOffset = 8;
}
