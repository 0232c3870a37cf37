using System.Buffers.Binary;

namespace WarpDrive.Drivers.Qm;

/// <summary>Reads the fields of a 128-byte ZIP SQE (spec §4) without copying it: the one place that decodes them.</summary>
public readonly ref struct ZipSqeView
{
    private readonly ReadOnlySpan<byte> _bytes;

    /// <summary>Wraps an SQE of at least 128 bytes.</summary>
    public ZipSqeView(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < ZipSqe.Size)
            throw new ArgumentException($"A ZIP SQE needs {ZipSqe.Size} bytes.", nameof(bytes));
        _bytes = bytes[..ZipSqe.Size];
    }

    private uint Dw(int n) => BinaryPrimitives.ReadUInt32LittleEndian(_bytes[(n * 4)..]);
    private ulong Qw(int n) => BinaryPrimitives.ReadUInt64LittleEndian(_bytes[(n * 4)..]);

    /// <summary>True when a completed request succeeded (OK, negative compression, or end of stream).</summary>
    public bool Succeeded => Status is ZipStatus.Ok or ZipStatus.NegativeCompression or ZipStatus.DecompressEnd;

    /// <summary>dw0: input bytes consumed (out).</summary>
    public uint Consumed => Dw(0);
    /// <summary>dw1: output bytes produced (out).</summary>
    public uint Produced => Dw(1);
    /// <summary>dw3 bits 7:0: completion status.</summary>
    public ZipStatus Status => (ZipStatus)(byte)Dw(3);
    /// <summary>dw3 bit 8: the last block of the stream was seen.</summary>
    public bool LastBlock => (Dw(3) & ZipSqe.LastBlockBit) != 0;
    /// <summary>dw4: input length.</summary>
    public uint InputLength => Dw(4);
    /// <summary>dw7 bits 31:28: layout (0 = v2, 3 = v3).</summary>
    public ZipSqeLayout Layout => (ZipSqeLayout)(Dw(7) >> 28);
    /// <summary>dw7 bit 25: finish (true) or sync flush (false) at the end of this request.</summary>
    public bool Finish => (Dw(7) & ZipSqe.FlushFinishBit) != 0;
    /// <summary>dw7 bit 26: stateful (stream) mode.</summary>
    public bool StreamMode => (Dw(7) & ZipSqe.StreamModeBit) != 0;
    /// <summary>dw7 bit 27: first request of a new stream.</summary>
    public bool NewStream => (Dw(7) & ZipSqe.NewStreamBit) != 0;
    /// <summary>dw9 bits 7:0: request type.</summary>
    public ZipRequestType RequestType => (ZipRequestType)(byte)Dw(9);
    /// <summary>dw9 bits 15:12: window size code (4 = 32 KiB).</summary>
    public int WindowCode => (int)((Dw(9) >> 12) & 0xf);
    /// <summary>The <see cref="Level"/> value asking for level 0 (stored blocks); 0 itself means the device default.</summary>
    public const int StoredLevel = 0x10;

    /// <summary>
    /// dw10: soft-engine extension, the compression level 1–9, <see cref="StoredLevel"/> for 0, 0 = device default.
    /// Reserved on hardware.
    /// </summary>
    public int Level => (int)Dw(10);
    /// <summary>The zlib level <see cref="Level"/> asks for, or <paramref name="deviceDefault"/> when it names none.</summary>
    public int CompressionLevel(int deviceDefault) => Level == StoredLevel ? 0 : Level is >= 1 and <= 9 ? Level : deviceDefault;
    /// <summary>
    /// dw12: soft-engine extension, reserved on hardware. The first dw12 bytes of the source prime the window and
    /// are not compressed, so stateless chunks of one stream keep the ratio of a single stream.
    /// </summary>
    public uint DictionaryLength => Dw(12);
    /// <summary>dw14: output buffer size.</summary>
    public uint OutputCapacity => Dw(14);
    /// <summary>dw15: stream context word 0.</summary>
    public uint ContextWord0 => Dw(15);
    /// <summary>dw18–19: source address (process pointer with SVA, region offset without).</summary>
    public ulong SourceAddress => Qw(18);
    /// <summary>dw20–21: destination address.</summary>
    public ulong DestinationAddress => Qw(20);
    /// <summary>dw22–23: stream context buffer address.</summary>
    public ulong StreamContextAddress => Qw(22);
    /// <summary>dw28: stream context word 1.</summary>
    public uint ContextWord1 => Dw(28);
    /// <summary>dw29: stream context word 2.</summary>
    public uint ContextWord2 => Dw(29);
    /// <summary>dw30: gzip running input size.</summary>
    public uint InputSize => Dw(30);
    /// <summary>dw31: running checksum (CRC-32 for gzip, Adler-32 for zlib).</summary>
    public uint Checksum => Dw(31);
    /// <summary>The request tag, in dw13 (v2 layout) or dw26 (v3 layout).</summary>
    public uint Tag => Layout == ZipSqeLayout.V3 ? Dw(26) : Dw(13);
}
