using WarpDrive.Drivers.Qm;
using WarpDrive.Scheduling;

namespace WarpDrive.Compression.DataPath;

/// <summary>
/// Writes a ZIP decompress request: a stream-mode one carries the stream's running checksum and size and points at
/// its context buffer (an empty context: a stateless request, one whole deflate stream). Both serial inflaters, on a
/// device and in line, describe their requests here.
/// </summary>
internal static class DecompressRequest
{
    public static void Describe(AcceleratorRequest request, ZipRequestType type, Memory<byte> input, Memory<byte> output,
        Memory<byte> context, bool newStream, uint checksum, uint size)
    {
        bool stream = !context.IsEmpty;
        request.Reset();
        _ = new ZipSqe(request.Sqe)
        {
            Layout = ZipSqeLayout.V3,
            WindowCode = ZipSqe.WindowCode32KiB,
            RequestType = type,
            StreamMode = stream,
            NewStream = newStream || !stream,
            InputLength = (uint)input.Length,
            OutputCapacity = (uint)output.Length,
            Checksum = checksum,
            InputSize = size,
        };
        request.AttachBuffer(ZipSqe.SourceAddressOffset, input, BufferAccess.Read);
        request.AttachBuffer(ZipSqe.DestinationAddressOffset, output, BufferAccess.Write);
        if (stream)
            request.AttachBuffer(ZipSqe.StreamContextAddressOffset, context, BufferAccess.ReadWrite);
    }
}
