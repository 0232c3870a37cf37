using System.Buffers.Binary;
using WarpDrive.Scheduling;

namespace WarpDrive.Compression.DataPath;

/// <summary>
/// Checks one compressed chunk against its input before the chunk is released: the dictionary it was primed with
/// goes in front as a stored block, an empty final block closes a chunk that ends on a sync flush, and the whole
/// must inflate to exactly the dictionary and the input, as one stateless request run in line on the pool's
/// in-process device (libdeflate where present), so the check never shares the device it checks.
/// </summary>
internal static class ChunkVerifier
{
    [ThreadStatic]
    private static byte[]? t_input;

    [ThreadStatic]
    private static byte[]? t_output;

    public static bool Matches(AcceleratorPool pool, ReadOnlySpan<byte> dictionary, ReadOnlySpan<byte> body, bool final, ReadOnlySpan<byte> expected)
    {
        int prefix = dictionary.IsEmpty ? 0 : 5 + dictionary.Length;
        int inputLength = prefix + body.Length + (final ? 0 : Framing.EmptyFinalBlock.Length);
        var input = Scratch(ref t_input, inputLength);
        if (prefix > 0)
        {
            // A stored block (BFINAL 0, BTYPE 00, then LEN and its complement) holding the dictionary.
            input[0] = 0;
            BinaryPrimitives.WriteUInt16LittleEndian(input.AsSpan(1), (ushort)dictionary.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(input.AsSpan(3), (ushort)~dictionary.Length);
            dictionary.CopyTo(input.AsSpan(5));
        }
        body.CopyTo(input.AsSpan(prefix));
        if (!final)
            Framing.EmptyFinalBlock.CopyTo(input.AsSpan(prefix + body.Length));
        // One byte of room over the expected length, so output that runs long is caught rather than cut.
        int outputLength = dictionary.Length + expected.Length + 1;
        var output = Scratch(ref t_output, outputLength);
        if (!Inflate(pool, input.AsSpan(0, inputLength), output.AsSpan(0, outputLength), out int produced))
            return false;
        return produced == dictionary.Length + expected.Length
            && output.AsSpan(dictionary.Length, expected.Length).SequenceEqual(expected)
            && output.AsSpan(0, dictionary.Length).SequenceEqual(dictionary);
    }

    /// <summary>Inflates one whole deflate stream that must use all of <paramref name="input"/>.</summary>
    private static bool Inflate(AcceleratorPool pool, ReadOnlySpan<byte> input, Span<byte> output, out int produced)
    {
        var inflater = InlineInflater.Rent(pool, DeflateFormat.Deflate);
        try
        {
            return inflater.RunWhole(input, output, out int consumed, out produced) == InflateStatus.StreamEnd && consumed == input.Length;
        }
        finally
        {
            InlineInflater.Return(inflater);
        }
    }

    private static byte[] Scratch(ref byte[]? slot, int length)
    {
        if (slot is null || slot.Length < length)
            slot = GC.AllocateUninitializedArray<byte>(Math.Max(length, slot?.Length * 2 ?? 0));
        return slot;
    }
}
