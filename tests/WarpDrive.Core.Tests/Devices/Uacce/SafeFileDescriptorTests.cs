using WarpDrive.Interop;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Tests.Devices.Uacce;

[Collection(nameof(FdLeakCollection))]
public class SafeFileDescriptorTests
{
    [Fact]
    public void Fd_0_is_a_valid_descriptor_and_only_minus_1_is_invalid()
    {
        var stdin = new SafeFileDescriptor(0);
        var invalid = new SafeFileDescriptor(-1);
        try
        {
            Assert.False(stdin.IsInvalid);
            Assert.True(invalid.IsInvalid);
        }
        finally
        {
            stdin.SetHandleAsInvalid(); // never close the test host's stdin
            invalid.Dispose();
        }
    }

    [Fact]
    public void Disposing_closes_the_descriptor_once()
    {
        string path = Path.Combine(Path.GetTempPath(), $"warpdrive-fd-{Guid.NewGuid():N}");
        File.WriteAllText(path, "x");
        try
        {
            var fd = Libc.OpenFile(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
            Assert.Equal(1, OpenFds.To(path));

            fd.Dispose();
            fd.Dispose();

            Assert.Equal(0, OpenFds.To(path));
            Assert.True(fd.IsClosed);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
