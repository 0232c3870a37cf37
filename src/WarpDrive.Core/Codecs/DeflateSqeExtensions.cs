using System.Buffers.Binary;
using WarpDrive.Drivers.Qm;

namespace WarpDrive.Codecs;

/// <summary>
/// Soft-engine extensions of the ZIP SQE that the compression pipeline uses, in words hardware reserves:
/// dw10 carries the level (1–9, <see cref="StoredLevel"/> for level 0, 0 = device default) and dw12 the length
/// of a dictionary prefix: the first dw12 bytes of the source prime the window and are not compressed, so
/// stateless chunks of one stream keep the ratio of a single stream.
/// </summary>
internal static class DeflateSqeExtensions
{
    /// <summary>dw10 value asking for level 0 (stored blocks); 0 itself means the device default.</summary>
    public const int StoredLevel = 0x10;

    private const int DictionaryDword = 12;

    /// <summary>The dw10 value for a zlib level 0–9.</summary>
    public static int EncodeLevel(int level) => level == 0 ? StoredLevel : level;

    /// <summary>The zlib level dw10 asks for.</summary>
    public static int DecodeLevel(int raw, int deviceDefault) => raw == StoredLevel ? 0 : raw is >= 1 and <= 9 ? raw : deviceDefault;

    /// <summary>Reads the dictionary prefix length (dw12).</summary>
    public static uint GetDictionaryLength(ReadOnlySpan<byte> sqe) => BinaryPrimitives.ReadUInt32LittleEndian(sqe[(DictionaryDword * 4)..]);

    /// <summary>Writes the dictionary prefix length (dw12).</summary>
    public static void SetDictionaryLength(Span<byte> sqe, uint length)
    {
        if (sqe.Length < ZipSqe.Size)
            throw new ArgumentException("Not a ZIP SQE.", nameof(sqe));
        BinaryPrimitives.WriteUInt32LittleEndian(sqe[(DictionaryDword * 4)..], length);
    }
}
