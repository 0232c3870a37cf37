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

/// <summary>
/// Writes the fields of a 64-byte HPRE SQE (spec §6.1) in place; reads go through <see cref="View"/>, which also
/// serves completed SQEs the caller may not write.
/// </summary>
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

    /// <summary>The same SQE, read only.</summary>
    public HpreSqeView View => new(_bytes);

    private uint Dw(int n) => BinaryPrimitives.ReadUInt32LittleEndian(_bytes[(n * 4)..]);
    private void SetDw(int n, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(_bytes[(n * 4)..], v);
    private void SetQw(int n, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(_bytes[(n * 4)..], v);

    /// <summary>Clears every field.</summary>
    public void Clear() => _bytes.Clear();

    /// <inheritdoc cref="HpreSqeView.Algorithm"/>
    public HpreAlgorithm Algorithm { get => View.Algorithm; set => SetDw(0, (Dw(0) & ~0x1fu) | ((uint)value & 0x1f)); }
    /// <inheritdoc cref="HpreSqeView.ErrorType"/>
    public int ErrorType { get => View.ErrorType; set => SetDw(0, (Dw(0) & ~(0x7ffu << 5)) | (((uint)value & 0x7ff) << 5)); }
    /// <inheritdoc cref="HpreSqeView.ErrorType1"/>
    public int ErrorType1 { get => View.ErrorType1; set => SetDw(0, (Dw(0) & ~(0x3fffu << 16)) | (((uint)value & 0x3fff) << 16)); }
    /// <inheritdoc cref="HpreSqeView.Done"/>
    public int Done { get => View.Done; set => SetDw(0, (Dw(0) & 0x3fffffff) | ((uint)value << 30)); }
    /// <inheritdoc cref="HpreSqeView.TaskLength1"/>
    public int TaskLength1 { get => View.TaskLength1; set => SetDw(1, (Dw(1) & ~0xffu) | ((uint)value & 0xff)); }
    /// <inheritdoc cref="HpreSqeView.KeyBytes"/>
    public int KeyBytes { get => View.KeyBytes; set => TaskLength1 = value / 8 - 1; }
    /// <inheritdoc cref="HpreSqeView.KeyAddress"/>
    public ulong KeyAddress { get => View.KeyAddress; set => SetQw(2, value); }
    /// <inheritdoc cref="HpreSqeView.InputAddress"/>
    public ulong InputAddress { get => View.InputAddress; set => SetQw(4, value); }
    /// <inheritdoc cref="HpreSqeView.OutputAddress"/>
    public ulong OutputAddress { get => View.OutputAddress; set => SetQw(6, value); }
    /// <inheritdoc cref="HpreSqeView.Tag"/>
    public ulong Tag { get => View.Tag; set => SetQw(8, value); }

    /// <inheritdoc cref="HpreSqeView.Succeeded"/>
    public bool Succeeded => View.Succeeded;
}
