using WarpDrive.Drivers.Qm;
using WarpDrive.Scheduling;

namespace WarpDrive.Tests.Infrastructure;

/// <summary>Builds pool requests for tests: real compression work with buffers the pool maps.</summary>
internal static class Requests
{
    public static AcceleratorRequest Nop(uint inputLength)
    {
        var request = new AcceleratorRequest("nop");
        Fill(request, inputLength);
        return request;
    }

    public static void Fill(AcceleratorRequest request, uint inputLength)
    {
        request.Reset();
        _ = new ZipSqe(request.Sqe) { Layout = ZipSqeLayout.V3, InputLength = inputLength };
    }

    /// <summary>A stateless raw-deflate compress request of <paramref name="input"/> into <paramref name="output"/>, finished.</summary>
    public static AcceleratorRequest Deflate(byte[] input, byte[] output, int level = 6, ZipRequestType type = ZipRequestType.Deflate)
    {
        var request = new AcceleratorRequest(type == ZipRequestType.Gzip ? "gzip" : type == ZipRequestType.Zlib ? "zlib" : "deflate");
        _ = new ZipSqe(request.Sqe)
        {
            Layout = ZipSqeLayout.V3,
            RequestType = type,
            InputLength = (uint)input.Length,
            OutputCapacity = (uint)output.Length,
            Finish = true,
            NewStream = true,
            Level = level,
        };
        request.AttachBuffer(ZipSqe.SourceAddressOffset, input, BufferAccess.Read);
        request.AttachBuffer(ZipSqe.DestinationAddressOffset, output, BufferAccess.Write);
        return request;
    }

    public static ZipSqe Result(AcceleratorRequest request) => new(request.Sqe);
}
