using System.Buffers.Binary;

namespace WarpDrive.Drivers.Qm;

/// <summary>HPRE algorithm codes (dw0 bits 4:0).</summary>
public enum HpreAlgorithm : byte
{
    /// <summary>Modular exponentiation with (e or d, n): public operation, or private without CRT.</summary>
    RsaNonCrt = 0x0,
    /// <summary>RSA private operation with the CRT key (dq, dp, q, p, qinv).</summary>
    RsaCrt = 0x1,
    /// <summary>Soft-engine extension: does nothing and completes. Reserved code on hardware.</summary>
    Nop = 0x1f,
}

/// <summary>Reads and writes the fields of a 64-byte HPRE SQE (spec §6.1) in place.</summary>
public readonly ref struct HpreSqe
{
    /// <summary>Size of an HPRE SQE in bytes.</summary>
    public const int Size = 64;

    /// <summary>Byte offset of the key address (dw2).</summary>
    public const int KeyAddressOffset = 2 * 4;
    /// <summary>Byte offset of the input address (dw4).</summary>
    public const int InputAddressOffset = 4 * 4;
    /// <summary>Byte offset of the output address (dw6).</summary>
    public const int OutputAddressOffset = 6 * 4;

    /// <summary>The value of <see cref="Done"/> that a finished request carries.</summary>
    public const int DoneValue = 3;

    private readonly Span<byte> _bytes;

    /// <summary>Wraps an SQE buffer of at least 64 bytes.</summary>
    public HpreSqe(Span<byte> bytes)
    {
        if (bytes.Length < Size)
            throw new ArgumentException($"An HPRE SQE needs {Size} bytes.", nameof(bytes));
        _bytes = bytes[..Size];
    }

    private uint Dw(int n) => BinaryPrimitives.ReadUInt32LittleEndian(_bytes[(n * 4)..]);
    private void SetDw(int n, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(_bytes[(n * 4)..], v);
    private ulong Qw(int n) => BinaryPrimitives.ReadUInt64LittleEndian(_bytes[(n * 4)..]);
    private void SetQw(int n, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(_bytes[(n * 4)..], v);

    /// <summary>Clears every field.</summary>
    public void Clear() => _bytes.Clear();

    /// <summary>dw0 bits 4:0: algorithm.</summary>
    public HpreAlgorithm Algorithm { get => (HpreAlgorithm)(Dw(0) & 0x1f); set => SetDw(0, (Dw(0) & ~0x1fu) | ((uint)value & 0x1f)); }
    /// <summary>dw0 bits 15:5: error type (0 = none).</summary>
    public int ErrorType { get => (int)((Dw(0) >> 5) & 0x7ff); set => SetDw(0, (Dw(0) & ~(0x7ffu << 5)) | (((uint)value & 0x7ff) << 5)); }
    /// <summary>dw0 bits 29:16: extended error type (bit 5 = SVA error).</summary>
    public int ErrorType1 { get => (int)((Dw(0) >> 16) & 0x3fff); set => SetDw(0, (Dw(0) & ~(0x3fffu << 16)) | (((uint)value & 0x3fff) << 16)); }
    /// <summary>dw0 bits 31:30: the submitter writes 1, the device 3 when finished.</summary>
    public int Done { get => (int)(Dw(0) >> 30); set => SetDw(0, (Dw(0) & 0x3fffffff) | ((uint)value << 30)); }
    /// <summary>dw1 bits 7:0: key bytes / 8 − 1.</summary>
    public int TaskLength1 { get => (int)(Dw(1) & 0xff); set => SetDw(1, (Dw(1) & ~0xffu) | ((uint)value & 0xff)); }

    /// <summary>Modulus length in bytes, derived from <see cref="TaskLength1"/>.</summary>
    public int KeyBytes { get => (TaskLength1 + 1) * 8; set => TaskLength1 = value / 8 - 1; }

    /// <summary>dw2–3: key address.</summary>
    public ulong KeyAddress { get => Qw(2); set => SetQw(2, value); }
    /// <summary>dw4–5: input address.</summary>
    public ulong InputAddress { get => Qw(4); set => SetQw(4, value); }
    /// <summary>dw6–7: output address.</summary>
    public ulong OutputAddress { get => Qw(6); set => SetQw(6, value); }
    /// <summary>dw8–9: tag.</summary>
    public ulong Tag { get => Qw(8); set => SetQw(8, value); }

    /// <summary>True when the device finished the request without error.</summary>
    public bool Succeeded => Done == DoneValue && ErrorType == 0 && ErrorType1 == 0;
}
