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

/// <summary>
/// Writes the fields of a 128-byte ZIP SQE (spec §4) in place; reads go through <see cref="View"/>, which also
/// serves completed SQEs the caller may not write.
/// </summary>
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

    /// <summary>The <see cref="WindowCode"/> for deflate's full 32 KiB window (0 would ask hardware for 4 KiB).</summary>
    public const int WindowCode32KiB = 4;

    internal const uint FlushFinishBit = 1u << 25;
    internal const uint StreamModeBit = 1u << 26;
    internal const uint NewStreamBit = 1u << 27;
    internal const uint LastBlockBit = 0x100;

    private readonly Span<byte> _bytes;

    /// <summary>Wraps an SQE buffer of at least 128 bytes.</summary>
    public ZipSqe(Span<byte> bytes)
    {
        if (bytes.Length < Size)
            throw new ArgumentException($"A ZIP SQE needs {Size} bytes.", nameof(bytes));
        _bytes = bytes[..Size];
    }

    /// <summary>The same SQE, read only.</summary>
    public ZipSqeView View => new(_bytes);

    private uint Dw(int n) => BinaryPrimitives.ReadUInt32LittleEndian(_bytes[(n * 4)..]);
    private void SetDw(int n, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(_bytes[(n * 4)..], v);
    private void SetQw(int n, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(_bytes[(n * 4)..], v);
    private void SetFlag(int dw, uint bit, bool on) => SetDw(dw, on ? Dw(dw) | bit : Dw(dw) & ~bit);

    /// <summary>Clears every field.</summary>
    public void Clear() => _bytes.Clear();

    /// <summary>True when a completed request succeeded (OK, negative compression, or end of stream).</summary>
    public bool Succeeded => View.Succeeded;

    /// <inheritdoc cref="ZipSqeView.Consumed"/>
    public uint Consumed { get => View.Consumed; set => SetDw(0, value); }
    /// <inheritdoc cref="ZipSqeView.Produced"/>
    public uint Produced { get => View.Produced; set => SetDw(1, value); }
    /// <inheritdoc cref="ZipSqeView.Status"/>
    public ZipStatus Status { get => View.Status; set => SetDw(3, (Dw(3) & ~0xffu) | (byte)value); }
    /// <inheritdoc cref="ZipSqeView.LastBlock"/>
    public bool LastBlock { get => View.LastBlock; set => SetFlag(3, LastBlockBit, value); }
    /// <inheritdoc cref="ZipSqeView.InputLength"/>
    public uint InputLength { get => View.InputLength; set => SetDw(4, value); }
    /// <inheritdoc cref="ZipSqeView.Layout"/>
    public ZipSqeLayout Layout { get => View.Layout; set => SetDw(7, (Dw(7) & 0x0fffffff) | ((uint)value << 28)); }
    /// <inheritdoc cref="ZipSqeView.Finish"/>
    public bool Finish { get => View.Finish; set => SetFlag(7, FlushFinishBit, value); }
    /// <inheritdoc cref="ZipSqeView.StreamMode"/>
    public bool StreamMode { get => View.StreamMode; set => SetFlag(7, StreamModeBit, value); }
    /// <inheritdoc cref="ZipSqeView.NewStream"/>
    public bool NewStream { get => View.NewStream; set => SetFlag(7, NewStreamBit, value); }
    /// <inheritdoc cref="ZipSqeView.RequestType"/>
    public ZipRequestType RequestType { get => View.RequestType; set => SetDw(9, (Dw(9) & ~0xffu) | (byte)value); }
    /// <inheritdoc cref="ZipSqeView.WindowCode"/>
    public int WindowCode { get => View.WindowCode; set => SetDw(9, (Dw(9) & ~0xf000u) | (((uint)value & 0xf) << 12)); }
    /// <inheritdoc cref="ZipSqeView.Level"/>
    public int Level { get => View.Level; set => SetDw(10, (uint)value); }
    /// <summary>Sets <see cref="Level"/> from a zlib level 0–9 (0 = stored blocks, sent as <see cref="ZipSqeView.StoredLevel"/>).</summary>
    public int CompressionLevel { set => Level = value == 0 ? ZipSqeView.StoredLevel : value; }
    /// <inheritdoc cref="ZipSqeView.DictionaryLength"/>
    public uint DictionaryLength { get => View.DictionaryLength; set => SetDw(12, value); }
    /// <inheritdoc cref="ZipSqeView.OutputCapacity"/>
    public uint OutputCapacity { get => View.OutputCapacity; set => SetDw(14, value); }
    /// <inheritdoc cref="ZipSqeView.ContextWord0"/>
    public uint ContextWord0 { get => View.ContextWord0; set => SetDw(15, value); }
    /// <inheritdoc cref="ZipSqeView.SourceAddress"/>
    public ulong SourceAddress { get => View.SourceAddress; set => SetQw(18, value); }
    /// <inheritdoc cref="ZipSqeView.DestinationAddress"/>
    public ulong DestinationAddress { get => View.DestinationAddress; set => SetQw(20, value); }
    /// <inheritdoc cref="ZipSqeView.StreamContextAddress"/>
    public ulong StreamContextAddress { get => View.StreamContextAddress; set => SetQw(22, value); }
    /// <inheritdoc cref="ZipSqeView.ContextWord1"/>
    public uint ContextWord1 { get => View.ContextWord1; set => SetDw(28, value); }
    /// <inheritdoc cref="ZipSqeView.ContextWord2"/>
    public uint ContextWord2 { get => View.ContextWord2; set => SetDw(29, value); }
    /// <inheritdoc cref="ZipSqeView.InputSize"/>
    public uint InputSize { get => View.InputSize; set => SetDw(30, value); }
    /// <inheritdoc cref="ZipSqeView.Checksum"/>
    public uint Checksum { get => View.Checksum; set => SetDw(31, value); }

    /// <inheritdoc cref="ZipSqeView.Tag"/>
    public uint Tag
    {
        get => View.Tag;
        set => SetDw(View.Layout == ZipSqeLayout.V3 ? 26 : 13, value);
    }
}
