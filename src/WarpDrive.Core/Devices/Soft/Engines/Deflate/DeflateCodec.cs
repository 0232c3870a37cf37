using System.Runtime.InteropServices;
using WarpDrive.Interop;

namespace WarpDrive.Devices.Soft.Engines.Deflate;

/// <summary>Outcome of one <see cref="DeflateCodec"/> step.</summary>
internal enum CodecResult
{
    /// <summary>All input consumed and flushed as asked.</summary>
    Done,
    /// <summary>The output filled up before the step finished.</summary>
    OutputFull,
    /// <summary>Inflate reached the end of the deflate stream.</summary>
    StreamEnd,
    /// <summary>The compressed data is not valid deflate.</summary>
    DataError,
}

/// <summary>
/// One raw-deflate compressor or decompressor over zlib-ng, kept alive across requests for stream mode. Owns
/// its native z_stream; not thread-safe.
/// </summary>
internal sealed unsafe class DeflateCodec : IDeflateCompressor, IDeflateDecompressor
{
    private readonly bool _compress;
    private ZlibNative.ZStream* _stream;

    private DeflateCodec(bool compress, int level)
    {
        _compress = compress;
        _stream = (ZlibNative.ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZlibNative.ZStream));
        int rc = compress
            ? ZlibNative.DeflateInit2(_stream, level, ZlibNative.DeflatedMethod, ZlibNative.RawWindowBits, ZlibNative.DefaultMemLevel, 0)
            : ZlibNative.InflateInit2(_stream, ZlibNative.RawWindowBits);
        if (rc != ZlibNative.Ok)
        {
            NativeMemory.Free(_stream);
            _stream = null;
            throw new InvalidOperationException($"zlib-ng refused to initialise ({rc}).");
        }
    }

    /// <summary>Frees zlib-ng's state when an owner drops this without disposing it (a thread's spare, when the thread ends).</summary>
    ~DeflateCodec() => Free();

    public static DeflateCodec CreateCompressor(int level) => new(true, Math.Clamp(level, 0, 9));

    public static DeflateCodec CreateDecompressor() => new(false, 0);

    /// <summary>
    /// Runs the codec over <c>input</c> into <c>output</c>, reporting the bytes consumed and produced.
    /// <c>finish</c> selects finish over sync flush when compressing; decompression ignores it.
    /// </summary>
    public CodecResult Run(ReadOnlySpan<byte> input, Span<byte> output, bool finish, out int consumed, out int produced)
    {
        ObjectDisposedException.ThrowIf(_stream == null, this);
        fixed (byte* inPtr = input)
        fixed (byte* outPtr = output)
        {
            _stream->NextIn = inPtr;
            _stream->AvailIn = (uint)input.Length;
            _stream->NextOut = outPtr;
            _stream->AvailOut = (uint)output.Length;
            var result = _compress ? Compress(finish) : Decompress();
            consumed = input.Length - (int)_stream->AvailIn;
            produced = output.Length - (int)_stream->AvailOut;
            _stream->NextIn = null;
            _stream->NextOut = null;
            return result;
        }
    }

    /// <summary>
    /// Primes a new compressor's window with <paramref name="dictionary"/>: compresses it with a sync flush and
    /// discards that output. Valid when the decoder already holds those bytes (the previous chunk of one stream),
    /// and the same effect as <c>deflateSetDictionary</c>, which the runtime's zlib-ng does not export.
    /// </summary>
    public void Prime(ReadOnlySpan<byte> dictionary)
    {
        if (!_compress)
            throw new InvalidOperationException("Only a compressor is primed.");
        var scratch = t_primeScratch ??= new byte[PrimeScratchSize];
        while (true)
        {
            var result = Run(dictionary, scratch, finish: false, out int consumed, out _);
            dictionary = dictionary[consumed..];
            if (result == CodecResult.Done && dictionary.IsEmpty)
                return;
        }
    }

    private const int PrimeScratchSize = 64 * 1024;

    [ThreadStatic]
    private static byte[]? t_primeScratch;

    /// <summary>Makes a decompressor ready for a new raw-deflate stream (the next gzip member).</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_stream == null, this);
        if (_compress)
            throw new InvalidOperationException("Only a decompressor is reset.");
        if (ZlibNative.InflateReset2(_stream, ZlibNative.RawWindowBits) != ZlibNative.Ok)
            throw new InvalidOperationException("zlib-ng refused to reset the inflater.");
    }

    private CodecResult Compress(bool finish)
    {
        int rc = ZlibNative.Deflate(_stream, finish ? ZlibNative.Finish : ZlibNative.SyncFlush);
        if (finish)
            return rc == ZlibNative.StreamEnd ? CodecResult.Done : CodecResult.OutputFull;
        // A sync flush is complete only when deflate left output space over: otherwise more may be pending.
        return rc is ZlibNative.Ok or ZlibNative.BufferError && _stream->AvailIn == 0 && _stream->AvailOut > 0
            ? CodecResult.Done
            : CodecResult.OutputFull;
    }

    private CodecResult Decompress()
    {
        int rc = ZlibNative.Inflate(_stream, ZlibNative.NoFlush);
        return rc switch
        {
            ZlibNative.StreamEnd => CodecResult.StreamEnd,
            ZlibNative.Ok or ZlibNative.BufferError when _stream->AvailIn == 0 && _stream->AvailOut > 0 => CodecResult.Done,
            ZlibNative.Ok or ZlibNative.BufferError => CodecResult.OutputFull,
            _ => CodecResult.DataError,
        };
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_stream == null)
            return;
        // End only frees zlib's state; its status (data error on an unfinished stream) has no one to tell.
        _ = _compress ? ZlibNative.DeflateEnd(_stream) : ZlibNative.InflateEnd(_stream);
        NativeMemory.Free(_stream);
        _stream = null;
    }
}
