using System.Buffers;
using WarpDrive.Queues;
using WarpDrive.Scheduling;

namespace WarpDrive.Compression.DataPath;

/// <summary>
/// One stateless decompress request of the parallel gzip reader: a whole indexed member, or one independent
/// block of a single-member stream, with the pooled buffers the device reads and writes until it answers.
/// </summary>
internal sealed class DecodeJob
{
    /// <summary>True for an independent block, false for an indexed gzip member.</summary>
    public bool IsBlock { get; set; }

    /// <summary>A gzip-type request either way: the device reports the CRC-32 of what it produced.</summary>
    public AcceleratorRequest Request { get; } = new(AcceleratorAlgorithm.Gzip, queueType: 1);

    /// <summary>What was sent: the compressed bytes, for a block followed by the empty final block that closes it.</summary>
    public byte[]? Input { get; set; }

    /// <summary>The compressed bytes of the source in <see cref="Input"/> (a block's, without the closing block).</summary>
    public int SourceLength { get; set; }

    /// <summary>Bytes of <see cref="Input"/> sent to the device.</summary>
    public int BodyLength { get; set; }

    public byte[] Output { get; set; } = [];

    /// <summary>Decompressed bytes to serve (a block's capacity until it is answered).</summary>
    public int OutputLength { get; set; }

    /// <summary>The CRC-32 of the output, computed on the host.</summary>
    public uint OutputCrc { get; set; }

    /// <summary>A member's CRC-32 from its trailer.</summary>
    public uint ExpectedCrc { get; set; }

    /// <summary>A block that runs to the end of the member's deflate stream (the trailer follows it).</summary>
    public bool LastBlock { get; set; }

    /// <summary>Bytes this job holds against the reader's in-flight budget.</summary>
    public long Budget { get; set; }

    public ValueTask Pending { get; set; }

    /// <summary>Returns the pooled buffers; only once the device has answered.</summary>
    public void Release()
    {
        if (Input is not null)
            ArrayPool<byte>.Shared.Return(Input);
        if (Output.Length > 0)
            ArrayPool<byte>.Shared.Return(Output);
        Input = null;
        Output = [];
    }
}
