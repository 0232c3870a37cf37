using ICSharpCode.SharpZipLib.Zip.Compression;

namespace WarpDrive.Devices.Soft.Engines.Deflate;

/// <summary>
/// Raw-deflate compression in managed code (SharpZipLib): the fallback that works wherever .NET runs, for when the
/// runtime's native zlib-ng cannot load. Each call compresses its input as a fresh deflater primed with the last
/// 32 KiB before it, as the soft engine's chunks are.
/// </summary>
/// <remarks>
/// SharpZipLib accepts a dictionary only with a zlib header, and its own flush is not byte-aligned (it pads with
/// empty fixed blocks). So each call writes a zlib stream and keeps the deflate body: the header goes (2 bytes, 6
/// with a dictionary), and so does the Adler-32 trailer after a finish. A sync flush is made by switching to stored
/// blocks and flushing, which writes the empty stored block (<c>00 00 FF FF</c>) zlib's sync flush writes; the body
/// is cut after it, dropping the padding block SharpZipLib adds behind it. Level 0 writes stored blocks directly.
/// </remarks>
internal sealed class ManagedDeflater(int level) : IDeflateCompressor
{
    private const int Window = 32 * 1024;
    private static ReadOnlySpan<byte> SyncMarker => [0x00, 0x00, 0xff, 0xff];

    private readonly int _level = Math.Clamp(level, 0, 9);
    private readonly byte[] _window = new byte[Window];
    private int _windowLength;
    private byte[] _pending = [];
    private int _pendingAt;

    public void Prime(ReadOnlySpan<byte> dictionary) => Remember(dictionary, replace: true);

    public CodecResult Run(ReadOnlySpan<byte> input, Span<byte> output, bool finish, out int consumed, out int produced)
    {
        consumed = 0;
        if (_pendingAt == _pending.Length)
        {
            _pending = Compress(input, finish);
            _pendingAt = 0;
            Remember(input, replace: false);
            consumed = input.Length;
        }
        produced = Math.Min(output.Length, _pending.Length - _pendingAt);
        _pending.AsSpan(_pendingAt, produced).CopyTo(output);
        _pendingAt += produced;
        return _pendingAt == _pending.Length ? CodecResult.Done : CodecResult.OutputFull;
    }

    private byte[] Compress(ReadOnlySpan<byte> input, bool finish)
    {
        if (_level == 0)
            return Stored(input, finish);
        var deflater = new Deflater(_level, noZlibHeaderOrFooter: false);
        int header = 2;
        if (_windowLength > 0)
        {
            deflater.SetDictionary(_window, 0, _windowLength);
            header = 6;
        }
        deflater.SetInput(input.ToArray());
        using var body = new MemoryStream();
        var buffer = new byte[64 * 1024];
        if (finish)
        {
            deflater.Finish();
            while (!deflater.IsFinished)
                body.Write(buffer, 0, deflater.Deflate(buffer));
            var zlib = body.GetBuffer().AsSpan(0, (int)body.Length);
            return zlib[header..^4].ToArray();
        }
        Drain(deflater, body, buffer);
        deflater.SetLevel(Deflater.NO_COMPRESSION);
        Drain(deflater, body, buffer);
        var written = body.GetBuffer().AsSpan(0, (int)body.Length);
        // The marker is the last thing before SharpZipLib's padding block (at most two bytes of it are out).
        int marker = written.LastIndexOf(SyncMarker);
        if (marker < header || written.Length - (marker + SyncMarker.Length) > 2)
            throw new InvalidOperationException("SharpZipLib did not end the flush with the empty stored block a sync flush needs.");
        return written[header..(marker + SyncMarker.Length)].ToArray();
    }

    /// <summary>
    /// Level 0: stored blocks written here (SharpZipLib's stored mode ends unaligned on a flush). Each block starts
    /// byte-aligned and ends so; the last is final when finishing, and an empty input still gets a block.
    /// </summary>
    private static byte[] Stored(ReadOnlySpan<byte> input, bool finish)
    {
        const int MaxBlock = 65535;
        int blocks = Math.Max(1, (input.Length + MaxBlock - 1) / MaxBlock);
        var output = new byte[input.Length + (blocks * 5)];
        int at = 0;
        for (int b = 0; b < blocks; b++)
        {
            var piece = input.Slice(b * MaxBlock, Math.Min(MaxBlock, input.Length - (b * MaxBlock)));
            output[at] = (byte)(finish && b == blocks - 1 ? 1 : 0);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(at + 1), (ushort)piece.Length);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(at + 3), (ushort)~piece.Length);
            piece.CopyTo(output.AsSpan(at + 5));
            at += 5 + piece.Length;
        }
        return output;
    }

    /// <summary>Flushes everything given so far into <paramref name="body"/>.</summary>
    private static void Drain(Deflater deflater, MemoryStream body, byte[] buffer)
    {
        deflater.Flush();
        int n;
        while ((n = deflater.Deflate(buffer)) > 0)
            body.Write(buffer, 0, n);
    }

    /// <summary>Keeps the last 32 KiB of input as the next call's dictionary.</summary>
    private void Remember(ReadOnlySpan<byte> data, bool replace)
    {
        if (replace)
            _windowLength = 0;
        if (data.Length >= Window)
        {
            data[^Window..].CopyTo(_window);
            _windowLength = Window;
            return;
        }
        int keep = Math.Min(_windowLength, Window - data.Length);
        _window.AsSpan(_windowLength - keep, keep).CopyTo(_window);
        data.CopyTo(_window.AsSpan(keep));
        _windowLength = keep + data.Length;
    }

    public void Dispose()
    {
    }
}
