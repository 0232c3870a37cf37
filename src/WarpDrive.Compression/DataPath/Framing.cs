using System.Buffers.Binary;
using WarpDrive.Hashing;

namespace WarpDrive.Compression.DataPath;

/// <summary>
/// Headers and trailers software writes and reads around the device's deflate body (spec §4: headers are
/// software's job), and the marks that let WarpDrive's reader decompress its own gzip in parallel while every
/// other reader sees plain gzip. A single-member stream carries an FEXTRA subfield <c>'W','B'</c> with its
/// independent block size, and each block after the first starts with an empty stored block, so the bytes
/// <see cref="BlockMark"/> (the sync flush ending one block, then that empty block) end every block but the
/// last. A multi-member stream carries in each member an FEXTRA subfield <c>'W','D'</c>: the member's total
/// length and uncompressed size. Other readers skip both subfields and inflate the empty blocks to nothing.
/// </summary>
internal static class Framing
{
    public const byte GzipId1 = 0x1f;
    public const byte GzipId2 = 0x8b;
    public const int GzipTrailerLength = 8;
    public const int ZlibTrailerLength = 4;
    public const int PlainGzipHeaderLength = 10;

    /// <summary>gzip header with the WD member index: 10 bytes, XLEN, subfield header, 8 bytes of index.</summary>
    public const int IndexedGzipHeaderLength = 10 + 2 + 4 + IndexPayloadLength;
    private const int IndexPayloadLength = 8;

    /// <summary>gzip header with the WB block size: 10 bytes, XLEN, subfield header, 4 bytes of block size.</summary>
    public const int BlockedGzipHeaderLength = 10 + 2 + 4 + BlockPayloadLength;
    private const int BlockPayloadLength = 4;
    private const byte BlockId2 = (byte)'B';

    /// <summary>
    /// What ends every independent block but the last: a sync flush's empty stored block (<c>00 00 ff ff</c>,
    /// byte-aligned) followed by another one (<c>00 00 00 ff ff</c>) that only the writer adds there.
    /// </summary>
    public static ReadOnlySpan<byte> BlockMark => [0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0xff, 0xff];

    /// <summary>The empty stored block the writer adds after a block's closing sync flush.</summary>
    public static ReadOnlySpan<byte> EmptyStoredBlock => BlockMark[4..];

    /// <summary>The empty sync-flush block every chunk but the last ends with.</summary>
    public static ReadOnlySpan<byte> SyncFlushTail => BlockMark[..4];

    /// <summary>An empty final block (fixed Huffman, end of block at once): closes a block decoded on its own.</summary>
    public static ReadOnlySpan<byte> EmptyFinalBlock => [0x03, 0x00];
    private const byte FlagText = 0x01, FlagHcrc = 0x02, FlagExtra = 0x04, FlagName = 0x08, FlagComment = 0x10;
    private const byte IndexId1 = (byte)'W', IndexId2 = (byte)'D';
    private const byte OsUnix = 3;

    /// <summary>The two zlib header bytes for a level, as zlib writes them (FLEVEL from the level).</summary>
    public static void WriteZlibHeader(Span<byte> destination, int level)
    {
        byte flevel = level switch { <= 1 => 0, <= 5 => 1, 6 => 2, _ => 3 };
        int cmf = 0x78;
        int flg = flevel << 6;
        flg += 31 - ((cmf << 8) + flg) % 31;
        destination[0] = (byte)cmf;
        destination[1] = (byte)flg;
    }

    /// <summary>gzip XFL for a level: 2 = slowest, 4 = fastest, as zlib sets it.</summary>
    private static byte ExtraFlags(int level) => level switch { 9 => 2, <= 1 => 4, _ => 0 };

    /// <summary>A plain 10-byte gzip header.</summary>
    public static void WritePlainGzipHeader(Span<byte> destination, int level)
    {
        destination[..10].Clear();
        destination[0] = GzipId1;
        destination[1] = GzipId2;
        destination[2] = 8;
        destination[8] = ExtraFlags(level);
        destination[9] = OsUnix;
    }

    /// <summary>
    /// Sets MTIME (seconds since 1970, 0 for none) in a header written above and, when a file name follows it, the
    /// FNAME flag: the name's bytes and a NUL go right after the header (FNAME comes after FEXTRA).
    /// </summary>
    public static void StampGzipHeader(Span<byte> header, uint modificationTime, bool nameFollows)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], modificationTime);
        if (nameFollows)
            header[3] |= FlagName;
    }

    /// <summary>A gzip header carrying the member index: this member's total length and uncompressed size.</summary>
    public static void WriteIndexedGzipHeader(Span<byte> destination, int level, uint memberLength, uint uncompressedLength)
    {
        var payload = WriteGzipHeaderWithSubfield(destination, level, IndexId2, IndexPayloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(payload, memberLength);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[4..], uncompressedLength);
    }

    /// <summary>A gzip header carrying the WB subfield: the stream's independent block size.</summary>
    public static void WriteBlockedGzipHeader(Span<byte> destination, int level, int blockSize) =>
        BinaryPrimitives.WriteUInt32LittleEndian(WriteGzipHeaderWithSubfield(destination, level, BlockId2, BlockPayloadLength), (uint)blockSize);

    /// <summary>A gzip header whose FEXTRA holds one <c>'W'</c>,<paramref name="id2"/> subfield; returns its payload to fill.</summary>
    private static Span<byte> WriteGzipHeaderWithSubfield(Span<byte> destination, int level, byte id2, int payloadLength)
    {
        WritePlainGzipHeader(destination, level);
        destination[3] = FlagExtra;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[10..], (ushort)(4 + payloadLength));
        destination[12] = IndexId1;
        destination[13] = id2;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[14..], (ushort)payloadLength);
        return destination.Slice(16, payloadLength);
    }

    public static void WriteGzipTrailer(Span<byte> destination, uint crc, uint size)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, crc);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], size);
    }

    /// <summary>What a parsed gzip header said (MTIME 0: no time; Name: FNAME decoded as ISO 8859-1, or null).</summary>
    public readonly record struct GzipHeader(int Length, uint IndexedMemberLength, uint IndexedUncompressedLength, uint BlockSize,
        uint ModificationTime = 0, string? Name = null)
    {
        public bool HasIndex => IndexedMemberLength != 0;
    }

    /// <summary>
    /// Parses a gzip member header at the start of <paramref name="data"/>. Returns false when more bytes are
    /// needed; throws <see cref="InvalidDataException"/> when the bytes are not a gzip header.
    /// </summary>
    public static bool TryParseGzipHeader(ReadOnlySpan<byte> data, out GzipHeader header)
    {
        header = default;
        if (data.Length >= 1 && data[0] != GzipId1 || data.Length >= 2 && data[1] != GzipId2)
            throw new InvalidDataException("The data is not in gzip format: the magic number is wrong.");
        if (data.Length >= 3 && data[2] != 8)
            throw new InvalidDataException("The gzip member uses an unsupported compression method.");
        if (data.Length >= 4 && (data[3] & 0xe0) != 0)
            throw new InvalidDataException("The gzip header has reserved flag bits set.");
        if (data.Length < 10)
            return false;
        byte flags = data[3];
        int at = 10;
        uint memberLength = 0, uncompressed = 0, blockSize = 0;
        if ((flags & FlagExtra) != 0)
        {
            if (data.Length < at + 2)
                return false;
            int xlen = BinaryPrimitives.ReadUInt16LittleEndian(data[at..]);
            at += 2;
            if (data.Length < at + xlen)
                return false;
            var extra = data.Slice(at, xlen);
            at += xlen;
            while (extra.Length >= 4)
            {
                int len = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
                if (len > extra.Length - 4)
                    break;
                if (extra[0] == IndexId1 && extra[1] == IndexId2 && len == IndexPayloadLength)
                {
                    memberLength = BinaryPrimitives.ReadUInt32LittleEndian(extra[4..]);
                    uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(extra[8..]);
                }
                else if (extra[0] == IndexId1 && extra[1] == BlockId2 && len == BlockPayloadLength)
                {
                    blockSize = BinaryPrimitives.ReadUInt32LittleEndian(extra[4..]);
                }
                extra = extra[(4 + len)..];
            }
        }
        string? name = null;
        if ((flags & FlagName) != 0)
        {
            int end = data[at..].IndexOf((byte)0);
            if (end < 0)
                return false;
            name = System.Text.Encoding.Latin1.GetString(data.Slice(at, end));
            at += end + 1;
        }
        if ((flags & FlagComment) != 0)
        {
            int end = data[at..].IndexOf((byte)0);
            if (end < 0)
                return false;
            at += end + 1;
        }
        if ((flags & FlagHcrc) != 0)
        {
            if (data.Length < at + 2)
                return false;
            ushort expected = BinaryPrimitives.ReadUInt16LittleEndian(data[at..]);
            if ((ushort)DeflateChecksum.Crc32(0, data[..at]) != expected)
                throw new InvalidDataException("The gzip header checksum does not match.");
            at += 2;
        }
        _ = FlagText;
        header = new GzipHeader(at, memberLength, uncompressed, blockSize, BinaryPrimitives.ReadUInt32LittleEndian(data[4..]), name);
        return true;
    }

    /// <summary>Checks a zlib header; throws <see cref="InvalidDataException"/> when it is not one this reader takes.</summary>
    public static void CheckZlibHeader(byte cmf, byte flg)
    {
        if ((cmf & 0x0f) != 8 || (cmf >> 4) > 7)
            throw new InvalidDataException("The data is not in zlib format: unsupported compression method or window.");
        if (((cmf << 8) | flg) % 31 != 0)
            throw new InvalidDataException("The zlib header check bits are wrong.");
        if ((flg & 0x20) != 0)
            throw new InvalidDataException("The zlib stream needs a preset dictionary, which is not supported.");
    }
}
