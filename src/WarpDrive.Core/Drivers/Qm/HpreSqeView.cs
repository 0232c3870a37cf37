using System.Buffers.Binary;

namespace WarpDrive.Drivers.Qm;

/// <summary>Reads the fields of a 64-byte HPRE SQE (spec §6.1) without copying it: the one place that decodes them.</summary>
public readonly ref struct HpreSqeView
{
    private readonly ReadOnlySpan<byte> _bytes;

    /// <summary>Wraps an SQE of at least 64 bytes.</summary>
    public HpreSqeView(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HpreSqe.Size)
            throw new ArgumentException($"An HPRE SQE needs {HpreSqe.Size} bytes.", nameof(bytes));
        _bytes = bytes[..HpreSqe.Size];
    }

    private uint Dw(int n) => BinaryPrimitives.ReadUInt32LittleEndian(_bytes[(n * 4)..]);
    private ulong Qw(int n) => BinaryPrimitives.ReadUInt64LittleEndian(_bytes[(n * 4)..]);

    /// <summary>dw0 bits 4:0: algorithm.</summary>
    public HpreAlgorithm Algorithm => (HpreAlgorithm)(Dw(0) & 0x1f);
    /// <summary>dw0 bits 15:5: error type (0 = none).</summary>
    public int ErrorType => (int)((Dw(0) >> 5) & 0x7ff);
    /// <summary>dw0 bits 29:16: extended error type (bit 5 = SVA error).</summary>
    public int ErrorType1 => (int)((Dw(0) >> 16) & 0x3fff);
    /// <summary>dw0 bits 31:30: the submitter writes 1, the device 3 when finished.</summary>
    public int Done => (int)(Dw(0) >> 30);
    /// <summary>dw1 bits 7:0: key bytes / 8 − 1.</summary>
    public int TaskLength1 => (int)(Dw(1) & 0xff);
    /// <summary>Modulus length in bytes, derived from <see cref="TaskLength1"/>.</summary>
    public int KeyBytes => (TaskLength1 + 1) * 8;
    /// <summary>dw2–3: key address.</summary>
    public ulong KeyAddress => Qw(2);
    /// <summary>dw4–5: input address.</summary>
    public ulong InputAddress => Qw(4);
    /// <summary>dw6–7: output address.</summary>
    public ulong OutputAddress => Qw(6);
    /// <summary>dw8–9: tag.</summary>
    public ulong Tag => Qw(8);
    /// <summary>True when the device finished the request without error.</summary>
    public bool Succeeded => Done == HpreSqe.DoneValue && ErrorType == 0 && ErrorType1 == 0;
}
