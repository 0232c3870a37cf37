using WarpDrive.Devices.Uacce;

namespace WarpDrive.Tests.Devices.Uacce;

public class UacceIoctlNumberTests
{
    [Fact]
    public void Ioctl_numbers_match_the_kernel_headers()
    {
        Assert.Equal(0x00005700u, UacceIoctl.StartQ);
        Assert.Equal(0x00005701u, UacceIoctl.PutQ);
        Assert.Equal(0x40045704u, UacceIoctl.ShareSvas);
        Assert.Equal(0x80085703u, UacceIoctl.GetSsDma);
        Assert.Equal(0xC004480Au, UacceIoctl.QmSetQpCtx);
        Assert.Equal(0xC010480Bu, UacceIoctl.QmSetQpInfo);
    }

    [Fact]
    public unsafe void Ioctl_argument_structs_have_the_kernel_sizes()
    {
        Assert.Equal(4, sizeof(HisiQpCtx));
        Assert.Equal(16, sizeof(HisiQpInfo));
    }

    [Theory]
    [InlineData("gzip", 128)]
    [InlineData("zlib", 128)]
    [InlineData("deflate", 128)]
    [InlineData("echo", 128)]
    [InlineData("rsa", 64)]
    [InlineData("dh", 64)]
    public void Sqe_size_fallback_follows_the_algorithm(string algorithm, int size) =>
        Assert.Equal(size, UacceQueue.DefaultSqeSize(algorithm));
}
