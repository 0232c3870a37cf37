using System.Buffers.Binary;
using WarpDrive.Devices.Soft.Engines.Deflate;
using WarpDrive.Drivers.Qm;
using WarpDrive.Hashing;

namespace WarpDrive.Devices.Soft;

/// <summary>
/// ZIP requests on zlib-ng. Compress queues (qc_type 0) produce the deflate body, and on finish the zlib or gzip
/// trailer; software writes headers, as with hardware. Decompress queues (qc_type 1) read a deflate body and
/// report the running checksum (dw31) and size (dw30) so software checks the trailer. Stateless requests start
/// and end a stream each; stream mode keeps the codec in the device's <see cref="SoftStreamTable"/>, named by
/// the stream context buffer. Soft-engine extensions (see
/// <see cref="ZipSqeView.Level"/>, <see cref="ZipSqeView.DictionaryLength"/>): dw10 level (0–9), dw12 dictionary prefix priming a stateless compressor
/// or a new stream's.
/// Compression runs on <see cref="DeflateCodecs.Compressor"/>, stateless decompression on
/// <see cref="DeflateCodecs.StatelessDecompressor"/>.
/// </summary>
internal sealed class ZipExecutor(bool decompress) : ISoftExecutor
{
    /// <summary>The executor of compress queues (qc_type 0); it keeps no state of its own.</summary>
    public static readonly ZipExecutor Compressor = new(decompress: false);

    /// <summary>The executor of decompress queues (qc_type 1).</summary>
    public static readonly ZipExecutor Decompressor = new(decompress: true);

    private const int DefaultLevel = 6;

    public bool Lengthy => true;

    public void Execute(Span<byte> sqe, in SoftAddressSpace memory, ISoftStreams streams)
    {
        var zip = new ZipSqe(sqe);
        zip.Consumed = 0;
        zip.Produced = 0;
        zip.LastBlock = false;
        var type = zip.RequestType;
        if (type is not (ZipRequestType.Deflate or ZipRequestType.Zlib or ZipRequestType.Gzip))
        {
            zip.Status = ZipStatus.CrcError;
            return;
        }
        if (!memory.TryResolve(zip.SourceAddress, zip.InputLength, out var input)
            || !memory.TryResolve(zip.DestinationAddress, zip.OutputCapacity, out var output))
        {
            zip.Status = ZipStatus.AddressFault;
            return;
        }
        bool stream = zip.StreamMode;
        bool newStream = zip.NewStream || !stream;
        if (newStream)
        {
            zip.Checksum = type == ZipRequestType.Zlib ? DeflateChecksum.Adler32Initial : 0;
            zip.InputSize = 0;
        }
        // The stream context buffer, where the engine keeps the stream's identifier.
        var context = Span<byte>.Empty;
        if (stream && (!memory.TryResolve(zip.StreamContextAddress, SoftStreamTable.ContextBytes, out context) || context.IsEmpty))
        {
            zip.Status = ZipStatus.AddressFault;
            return;
        }
        if (decompress)
            Decompress(ref zip, type, input, output, stream, newStream, streams, context);
        else
            Compress(ref zip, type, input, output, stream, newStream, streams, context, zip.DictionaryLength);
    }

    private static void Compress(ref ZipSqe zip, ZipRequestType type, Span<byte> input, Span<byte> output, bool stream, bool newStream, ISoftStreams streams, Span<byte> context, uint dictionaryLength)
    {
        int level = zip.View.CompressionLevel(DefaultLevel);
        bool finish = zip.Finish;
        // A dictionary prefix primes a fresh compressor (stateless, or a stream's first request); its bytes are
        // consumed but not compressed. A continuing stream's window is its own history.
        int dictionary = stream && !newStream ? 0 : (int)Math.Min(dictionaryLength, (uint)input.Length);
        int trailer = !finish ? 0 : type switch { ZipRequestType.Zlib => 4, ZipRequestType.Gzip => 8, _ => 0 };
        if (output.Length < trailer)
        {
            zip.Status = ZipStatus.OutputTooSmall;
            return;
        }
        var codec = stream
            ? StreamCompressor(streams, context, newStream, level, input.Length - dictionary)
            : DeflateCodecs.Rent(level, input.Length - dictionary, fresh: dictionary == 0);
        if (codec is null)
        {
            zip.Status = ZipStatus.StreamLost;
            return;
        }
        try
        {
            if (dictionary > 0)
                codec.Prime(input[..dictionary]);
            var result = codec.Run(input[dictionary..], output[..^trailer], finish, out int consumed, out int produced);
            var data = input.Slice(dictionary, consumed);
            zip.Checksum = type == ZipRequestType.Zlib ? DeflateChecksum.Adler32(zip.Checksum, data) : DeflateChecksum.Crc32(zip.Checksum, data);
            zip.InputSize += (uint)consumed;
            zip.Consumed = (uint)(dictionary + consumed);
            zip.Produced = (uint)produced;
            if (result != CodecResult.Done)
            {
                // Stateless work cannot resume; in stream mode the caller resubmits the rest (ctx_st 1 = flush pending).
                zip.Status = stream ? ZipStatus.Ok : ZipStatus.OutputTooSmall;
                zip.ContextWord0 = (zip.ContextWord0 & ~0xfu) | (finish ? 1u : 2u);
                return;
            }
            zip.ContextWord0 &= ~0xfu;
            if (finish)
            {
                WriteTrailer(type, zip.Checksum, zip.InputSize, output.Slice(produced, trailer));
                zip.Produced += (uint)trailer;
                zip.LastBlock = true;
                if (stream)
                    streams.Release(context);
            }
            zip.Status = zip.Produced > consumed && consumed > 0 ? ZipStatus.NegativeCompression : ZipStatus.Ok;
        }
        finally
        {
            if (!stream)
                DeflateCodecs.Return(codec);
        }
    }

    /// <summary>The stream's compressor, made for its first piece (apart, so only stream mode allocates the factory's closure).</summary>
    private static IDeflateCompressor? StreamCompressor(ISoftStreams streams, Span<byte> context, bool newStream, int level, int firstPiece) =>
        streams.Get(context, newStream, () => DeflateCodecs.CreateForStream(level, firstPiece));

    private static void Decompress(ref ZipSqe zip, ZipRequestType type, Span<byte> input, Span<byte> output, bool stream, bool newStream, ISoftStreams streams, Span<byte> context)
    {
        if (!stream && DeflateCodecs.UseLibdeflate)
        {
            DecompressWhole(ref zip, type, input, output);
            return;
        }
        var codec = stream
            ? streams.Get(context, newStream, DeflateCodecs.CreateDecompressor)
            : DeflateCodecs.CreateDecompressor();
        if (codec is null)
        {
            zip.Status = ZipStatus.StreamLost;
            return;
        }
        try
        {
            var result = codec.Run(input, output, finish: false, out int consumed, out int produced);
            if (CarriesChecksum(type, stream))
                zip.Checksum = type == ZipRequestType.Zlib ? DeflateChecksum.Adler32(zip.Checksum, output[..produced]) : DeflateChecksum.Crc32(zip.Checksum, output[..produced]);
            zip.InputSize += (uint)produced;
            zip.Consumed = (uint)consumed;
            zip.Produced = (uint)produced;
            zip.ContextWord0 &= ~0xfu;
            switch (result)
            {
                case CodecResult.DataError:
                    zip.Status = ZipStatus.CrcError;
                    if (stream)
                        streams.Release(context);
                    break;
                case CodecResult.StreamEnd:
                    zip.Status = ZipStatus.DecompressEnd;
                    zip.LastBlock = true;
                    if (stream)
                        streams.Release(context);
                    break;
                case CodecResult.OutputFull:
                    zip.Status = stream ? ZipStatus.Ok : ZipStatus.OutputTooSmall;
                    zip.ContextWord0 |= 2; // ctx_st 2: no output space while decompressing
                    break;
                default:
                    // Stateless input that ends before the deflate stream does is truncated.
                    zip.Status = stream ? ZipStatus.Ok : ZipStatus.CrcError;
                    break;
            }
        }
        finally
        {
            if (!stream)
                codec.Dispose();
        }
    }

    /// <summary>
    /// Whether a decompress result carries the output's checksum. Hardware computes none for raw deflate; the engine
    /// keeps one on raw deflate stream-mode results, where the host checks a stream it cannot re-run elsewhere
    /// (a stateless result is re-run or checked byte for byte instead).
    /// </summary>
    private static bool CarriesChecksum(ZipRequestType type, bool stream) => stream || type != ZipRequestType.Deflate;

    /// <summary>A stateless request holds a whole deflate stream: libdeflate decodes it in one call.</summary>
    private static void DecompressWhole(ref ZipSqe zip, ZipRequestType type, Span<byte> input, Span<byte> output)
    {
        int rc = DeflateLibdeflate.Decompress(input, output, out int consumed, out int produced);
        zip.ContextWord0 &= ~0xfu;
        if (rc != DeflateLibdeflate.Success)
        {
            // libdeflate reports a full output as such, and truncated or corrupt input alike as bad data.
            zip.Status = rc == DeflateLibdeflate.InsufficientSpace ? ZipStatus.OutputTooSmall : ZipStatus.CrcError;
            return;
        }
        if (CarriesChecksum(type, stream: false))
            zip.Checksum = type == ZipRequestType.Zlib ? DeflateChecksum.Adler32(zip.Checksum, output[..produced]) : DeflateChecksum.Crc32(zip.Checksum, output[..produced]);
        zip.InputSize += (uint)produced;
        zip.Consumed = (uint)consumed;
        zip.Produced = (uint)produced;
        zip.Status = ZipStatus.DecompressEnd;
        zip.LastBlock = true;
    }

    private static void WriteTrailer(ZipRequestType type, uint checksum, uint inputSize, Span<byte> trailer)
    {
        if (type == ZipRequestType.Zlib)
        {
            BinaryPrimitives.WriteUInt32BigEndian(trailer, checksum);
        }
        else if (type == ZipRequestType.Gzip)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(trailer, checksum);
            BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], inputSize);
        }
    }

    public void Fail(Span<byte> sqe) => new ZipSqe(sqe).Status = ZipStatus.EngineFault;

    public void Corrupt(Span<byte> sqe, in SoftAddressSpace memory)
    {
        var zip = new ZipSqe(sqe);
        if (zip.Produced > 0 && memory.TryResolve(zip.DestinationAddress, zip.Produced, out var output))
            output[output.Length / 2] ^= 0x20;
        else
            zip.Produced ^= 1;
    }
}
