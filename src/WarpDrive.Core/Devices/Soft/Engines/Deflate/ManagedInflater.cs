using ICSharpCode.SharpZipLib;
using ICSharpCode.SharpZipLib.Zip.Compression;

namespace WarpDrive.Devices.Soft.Engines.Deflate;

/// <summary>
/// Raw-deflate decompression in managed code (SharpZipLib), the fallback for when the runtime's native zlib-ng
/// cannot load. SharpZipLib keeps a copy of the input it is given; bytes it still holds are reported unconsumed,
/// so the caller passes them again, and they are recognised as the start of the next call's input.
/// </summary>
internal sealed class ManagedInflater : IDeflateDecompressor
{
    private Inflater _inflater = new(noHeader: true);
    private byte[] _output = new byte[64 * 1024];
    private int _held; // leading bytes of the caller's next input that the inflater already holds

    public CodecResult Run(ReadOnlySpan<byte> input, Span<byte> output, bool finish, out int consumed, out int produced)
    {
        int fed = Math.Min(_held, input.Length);
        produced = 0;
        try
        {
            while (true)
            {
                if (_inflater.IsFinished)
                    return Return(CodecResult.StreamEnd, fed, out consumed);
                if (_inflater.IsNeedingInput && fed < input.Length)
                {
                    _inflater.SetInput(input[fed..].ToArray());
                    fed = input.Length;
                }
                int room = output.Length - produced;
                if (_output.Length < room)
                    _output = new byte[room];
                // Decodes even with no room left or no new input: bits already buffered may hold the stream's end.
                int n = _inflater.Inflate(_output, 0, room);
                _output.AsSpan(0, n).CopyTo(output[produced..]);
                produced += n;
                if (n > 0 || _inflater.IsFinished)
                    continue;
                if (room == 0)
                    return Return(CodecResult.OutputFull, fed, out consumed);
                if (_inflater.IsNeedingInput)
                {
                    if (fed == input.Length)
                        return Return(CodecResult.Done, fed, out consumed);
                    continue;
                }
                return Return(CodecResult.DataError, fed, out consumed); // asks for a dictionary: not plain raw deflate
            }
        }
        catch (SharpZipBaseException)
        {
            return Return(CodecResult.DataError, fed, out consumed);
        }
    }

    private CodecResult Return(CodecResult result, int fed, out int consumed)
    {
        _held = _inflater.RemainingInput;
        consumed = fed - _held;
        return result;
    }

    public void Reset()
    {
        _inflater = new Inflater(noHeader: true);
        _held = 0;
    }

    public void Dispose()
    {
    }
}
