namespace WarpDrive.Drivers.Qm;

/// <summary>Which doorbell register format a QM queue speaks (spec §3.2–3.3).</summary>
internal enum QmDoorbellFormat
{
    /// <summary><c>hisi_qm_v1</c>: register at MMIO + 0x340, cmd in bits 31:16.</summary>
    V1 = 1,

    /// <summary><c>hisi_qm_v2</c> and later: register at MMIO + 0x1000, cmd in bits 15:12.</summary>
    V2 = 2,
}

/// <summary>Doorbell commands a user queue rings.</summary>
internal enum QmDoorbellCommand : byte
{
    Sq = 0,
    Cq = 1,
}

/// <summary>Encodes and decodes the 64-bit doorbell word. Pure arithmetic, shared by the user driver and the soft engine.</summary>
internal static class QmDoorbell
{
    public const int OffsetV1 = 0x340;
    public const int OffsetV2 = 0x1000;

    public static int Offset(QmDoorbellFormat format) => format == QmDoorbellFormat.V1 ? OffsetV1 : OffsetV2;

    /// <summary>The MMIO bytes a format needs mapped to reach its doorbell.</summary>
    public static int MinimumMmioSize(QmDoorbellFormat format) => Offset(format) + sizeof(ulong);

    public static ulong Encode(QmDoorbellFormat format, ushort qn, QmDoorbellCommand cmd, ushort index, byte priority) =>
        format == QmDoorbellFormat.V1
            ? qn | ((ulong)cmd << 16) | ((ulong)index << 32) | ((ulong)priority << 48)
            : (qn & 0xfffUL) | (((ulong)cmd & 0xf) << 12) | ((ulong)index << 32) | ((ulong)priority << 48);

    public static (ushort Qn, QmDoorbellCommand Cmd, ushort Index, byte Priority) Decode(QmDoorbellFormat format, ulong value) =>
        format == QmDoorbellFormat.V1
            ? ((ushort)value, (QmDoorbellCommand)(byte)(value >> 16), (ushort)(value >> 32), (byte)(value >> 48))
            : ((ushort)(value & 0xfff), (QmDoorbellCommand)((value >> 12) & 0xf), (ushort)(value >> 32), (byte)(value >> 48));

    /// <summary>Maps a uacce <c>api</c> string (<c>hisi_qm_vN</c>) to its doorbell format: v1 is special, every later version uses v2.</summary>
    public static bool TryParseApi(string api, out QmDoorbellFormat format, out int version)
    {
        const string prefix = "hisi_qm_v";
        format = QmDoorbellFormat.V2;
        version = 0;
        if (!api.StartsWith(prefix, StringComparison.Ordinal))
            return false;
        var digits = api.AsSpan(prefix.Length);
        int end = 0;
        while (end < digits.Length && char.IsAsciiDigit(digits[end]))
            end++;
        if (end == 0 || !int.TryParse(digits[..end], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out version) || version < 1)
            return false;
        format = version == 1 ? QmDoorbellFormat.V1 : QmDoorbellFormat.V2;
        return true;
    }
}
