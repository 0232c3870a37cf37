using System.Buffers.Binary;

namespace WarpDrive.Drivers.Qm;

/// <summary>ZIP request types (dw9 bits 7:0).</summary>
public enum ZipRequestType : byte
{
    /// <summary>Raw deflate (RFC 1951).</summary>
    Deflate = 0x01,
    /// <summary>zlib (RFC 1950).</summary>
    Zlib = 0x02,
    /// <summary>gzip (RFC 1952).</summary>
    Gzip = 0x03,
    /// <summary>LZ4 block (compress only).</summary>
    Lz4 = 0x04,
}

/// <summary>ZIP completion status (dw3 bits 7:0).</summary>
public enum ZipStatus : byte
{
    /// <summary>Success.</summary>
    Ok = 0x00,
    /// <summary>Output larger than input; still a success.</summary>
    NegativeCompression = 0x0d,
    /// <summary>The output buffer was too small.</summary>
    OutputTooSmall = 0x0e,
    /// <summary>Input DIF check failed.</summary>
    InputDifError = 0x0f,
    /// <summary>CRC error: the compressed data is corrupt.</summary>
    CrcError = 0x10,
    /// <summary>Uncompressed DIF check failed.</summary>
    DataDifError = 0x12,
    /// <summary>Decompression reached the end of a block; with the last-block bit, of the stream.</summary>
    DecompressEnd = 0x13,
    /// <summary>Soft-engine extension: a buffer address lies outside the queue's shared region (an SMMU fault on hardware).</summary>
    AddressFault = 0x20,
    /// <summary>
    /// Soft-engine extension: a stream-mode request continues a stream this device holds no state for (the stream
    /// began on a device that failed, or already ended). It cannot be resumed.
    /// </summary>
    StreamLost = 0x21,
    /// <summary>
    /// Soft-engine extension: the engine failed on its own account, whatever the data (the fault the soft engine
    /// injects as <c>SoftFault.ErrorStatus</c>; hardware reports such failures with other nonzero codes).
    /// </summary>
    EngineFault = 0x22,
}

/// <summary>Which ZIP SQE layout a device speaks: v2 (sqe_type 0, tag in dw13) or v3 (sqe_type 3, tag in dw26).</summary>
public enum ZipSqeLayout
{
    /// <summary>Kunpeng 920 layout: sqe_type 0, tag in dw13.</summary>
    V2 = 0,
    /// <summary>v3 and later: sqe_type 3, tag in dw26.</summary>
    V3 = 3,
}

/// <summary>Reads and writes the fields of a 128-byte ZIP SQE (spec §4) in place.</summary>
public readonly ref struct ZipSqe
{
    /// <summary>Size of a ZIP SQE in bytes.</summary>
    public const int Size = 128;

    /// <summary>Byte offset of the source address (dw18).</summary>
    public const int SourceAddressOffset = 18 * 4;
    /// <summary>Byte offset of the destination address (dw20).</summary>
    public const int DestinationAddressOffset = 20 * 4;
    /// <summary>Byte offset of the stream context address (dw22).</summary>
    public const int StreamContextAddressOffset = 22 * 4;

    /// <summary>True when a completed request succeeded (OK, negative compression, or end of stream).</summary>
    public bool Succeeded => Status is ZipStatus.Ok or ZipStatus.NegativeCompression or ZipStatus.DecompressEnd;

    private const uint FlushFinishBit = 1u << 25;
    private const uint StreamModeBit = 1u << 26;
    private const uint NewStreamBit = 1u << 27;
    private const uint LastBlockBit = 0x100;

    private readonly Span<byte> _bytes;

    /// <summary>Wraps an SQE buffer of at least 128 bytes.</summary>
    public ZipSqe(Span<byte> bytes)
    {
        if (bytes.Length < Size)
            throw new ArgumentException($"A ZIP SQE needs {Size} bytes.", nameof(bytes));
        _bytes = bytes[..Size];
    }

    private uint Dw(int n) => BinaryPrimitives.ReadUInt32LittleEndian(_bytes[(n * 4)..]);
    private void SetDw(int n, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(_bytes[(n * 4)..], v);
    private ulong Qw(int n) => BinaryPrimitives.ReadUInt64LittleEndian(_bytes[(n * 4)..]);
    private void SetQw(int n, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(_bytes[(n * 4)..], v);

    /// <summary>Clears every field.</summary>
    public void Clear() => _bytes.Clear();

    /// <summary>dw0: input bytes consumed (out).</summary>
    public uint Consumed { get => Dw(0); set => SetDw(0, value); }
    /// <summary>dw1: output bytes produced (out).</summary>
    public uint Produced { get => Dw(1); set => SetDw(1, value); }
    /// <summary>dw3 bits 7:0: completion status.</summary>
    public ZipStatus Status { get => (ZipStatus)(byte)Dw(3); set => SetDw(3, (Dw(3) & ~0xffu) | (byte)value); }
    /// <summary>dw3 bit 8: the last block of the stream was seen.</summary>
    public bool LastBlock { get => (Dw(3) & LastBlockBit) != 0; set => SetDw(3, value ? Dw(3) | LastBlockBit : Dw(3) & ~LastBlockBit); }
    /// <summary>dw4: input length.</summary>
    public uint InputLength { get => Dw(4); set => SetDw(4, value); }

    /// <summary>dw7 bits 31:28: layout (0 = v2, 3 = v3).</summary>
    public ZipSqeLayout Layout { get => (ZipSqeLayout)(Dw(7) >> 28); set => SetDw(7, (Dw(7) & 0x0fffffff) | ((uint)value << 28)); }
    /// <summary>dw7 bit 25: finish (true) or sync flush (false) at the end of this request.</summary>
    public bool Finish { get => (Dw(7) & FlushFinishBit) != 0; set => SetFlag(7, FlushFinishBit, value); }
    /// <summary>dw7 bit 26: stateful (stream) mode.</summary>
    public bool StreamMode { get => (Dw(7) & StreamModeBit) != 0; set => SetFlag(7, StreamModeBit, value); }
    /// <summary>dw7 bit 27: first request of a new stream.</summary>
    public bool NewStream { get => (Dw(7) & NewStreamBit) != 0; set => SetFlag(7, NewStreamBit, value); }

    /// <summary>dw9 bits 7:0: request type.</summary>
    public ZipRequestType RequestType { get => (ZipRequestType)(byte)Dw(9); set => SetDw(9, (Dw(9) & ~0xffu) | (byte)value); }
    /// <summary>dw9 bits 15:12: window size code (4 = 32 KiB).</summary>
    public int WindowCode { get => (int)((Dw(9) >> 12) & 0xf); set => SetDw(9, (Dw(9) & ~0xf000u) | (((uint)value & 0xf) << 12)); }
    /// <summary>dw10: soft-engine extension, the compression level 1–9 (0 = device default). Reserved on hardware.</summary>
    public int Level { get => (int)Dw(10); set => SetDw(10, (uint)value); }

    /// <summary>dw14: output buffer size.</summary>
    public uint OutputCapacity { get => Dw(14); set => SetDw(14, value); }
    /// <summary>dw15: stream context word 0.</summary>
    public uint ContextWord0 { get => Dw(15); set => SetDw(15, value); }
    /// <summary>dw18–19: source address (process pointer with SVA, region offset without).</summary>
    public ulong SourceAddress { get => Qw(18); set => SetQw(18, value); }
    /// <summary>dw20–21: destination address.</summary>
    public ulong DestinationAddress { get => Qw(20); set => SetQw(20, value); }
    /// <summary>dw22–23: stream context buffer address.</summary>
    public ulong StreamContextAddress { get => Qw(22); set => SetQw(22, value); }
    /// <summary>dw28: stream context word 1.</summary>
    public uint ContextWord1 { get => Dw(28); set => SetDw(28, value); }
    /// <summary>dw29: stream context word 2.</summary>
    public uint ContextWord2 { get => Dw(29); set => SetDw(29, value); }
    /// <summary>dw30: gzip running input size.</summary>
    public uint InputSize { get => Dw(30); set => SetDw(30, value); }
    /// <summary>dw31: running checksum (CRC-32 for gzip, Adler-32 for zlib).</summary>
    public uint Checksum { get => Dw(31); set => SetDw(31, value); }

    /// <summary>The request tag, in dw13 (v2 layout) or dw26 (v3 layout).</summary>
    public uint Tag
    {
        get => Layout == ZipSqeLayout.V3 ? Dw(26) : Dw(13);
        set { if (Layout == ZipSqeLayout.V3) SetDw(26, value); else SetDw(13, value); }
    }

    private void SetFlag(int dw, uint bit, bool on) => SetDw(dw, on ? Dw(dw) | bit : Dw(dw) & ~bit);
}
