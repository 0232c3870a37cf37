using System.Numerics;
using WarpDrive.Devices.Soft.Engines.Rsa;

namespace WarpDrive.Crypto.DataPath;

/// <summary>Fixed-width big-endian numbers and the host-side arithmetic around a device operation.</summary>
internal static class RsaMath
{
    /// <summary>Bit length of a big-endian unsigned number.</summary>
    public static int Bits(ReadOnlySpan<byte> bigEndian) => RsaSoftware.SignificantBits(bigEndian);

    public static BigInteger ToBigInteger(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    /// <summary>Right-aligns <paramref name="value"/> (leading zeros beyond the width dropped) in a new array of <paramref name="width"/> bytes.</summary>
    public static byte[] Pad(ReadOnlySpan<byte> value, int width)
    {
        var result = new byte[width];
        PadInto(value, result);
        return result;
    }

    /// <summary>Right-aligns <paramref name="value"/> in <paramref name="destination"/>, zeroing the rest.</summary>
    /// <exception cref="ArgumentException">The value has more significant bytes than the destination.</exception>
    public static void PadInto(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        int first = value.IndexOfAnyExcept((byte)0);
        var significant = first < 0 ? [] : value[first..];
        if (significant.Length > destination.Length)
            throw new ArgumentException($"A value of {significant.Length} bytes does not fit {destination.Length}.");
        destination[..^significant.Length].Clear();
        significant.CopyTo(destination[^significant.Length..]);
    }

    /// <summary>Compares big-endian numbers of equal width: −1, 0 or 1.</summary>
    public static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceCompareTo(b) switch
    {
        < 0 => -1,
        > 0 => 1,
        _ => 0,
    };
}
