using WarpDrive.Interop;
using WarpDrive.Queues;

namespace WarpDrive.Tests.Devices.Uacce;

public class LibcErrnoMappingTests
{
    [Fact]
    public void Opening_a_nonexistent_path_gives_FileNotFoundException_naming_the_path()
    {
        string path = Path.Combine(Path.GetTempPath(), $"warpdrive-missing-{Guid.NewGuid():N}");

        var e = Assert.Throws<FileNotFoundException>(() => Libc.OpenFile(path, Libc.O_RDWR | Libc.O_CLOEXEC));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("ENOENT", e.Message, StringComparison.Ordinal);
        Assert.Equal(path, e.FileName);
    }

    [Fact]
    public unsafe void Ioctl_on_dev_null_answers_ENOTTY_which_maps_to_AcceleratorException()
    {
        using var fd = Libc.OpenFile("/dev/null", Libc.O_RDWR | Libc.O_CLOEXEC);

        int errno = Libc.TryIoctl(fd, 0x5700, null);
        var e = Errno.ToException(errno, "ioctl UACCE_CMD_START_Q on", "/dev/null");

        Assert.Equal(Errno.ENOTTY, errno);
        var accelerator = Assert.IsType<AcceleratorException>(e);
        Assert.Contains("ioctl UACCE_CMD_START_Q on /dev/null failed: ENOTTY (", accelerator.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Integer_argument_ioctl_reports_errno_too()
    {
        using var fd = Libc.OpenFile("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC);

        Assert.Equal(Errno.ENOTTY, Libc.TryIoctlValue(fd, 0x40045704, 3));
    }

    [Fact]
    public void ENXIO_means_the_device_was_removed()
    {
        var e = Assert.IsType<DeviceRemovedException>(Errno.ToException(Errno.ENXIO, "mmap DUS of", "/dev/hisi_zip-0"));
        Assert.StartsWith("device removed", e.Message, StringComparison.Ordinal);
        Assert.Contains("/dev/hisi_zip-0", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Errno.EACCES)]
    [InlineData(Errno.EPERM)]
    public void Permission_errors_map_to_UnauthorizedAccessException(int errno)
    {
        var e = Assert.IsType<UnauthorizedAccessException>(Errno.ToException(errno, "open", "/dev/hisi_zip-0"));
        Assert.Contains(Errno.Name(errno), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_errors_carry_the_errno_name_and_strerror_text()
    {
        var e = Assert.IsType<AcceleratorException>(Errno.ToException(Errno.EBUSY, "open", "/dev/hisi_zip-0"));
        Assert.Equal("open /dev/hisi_zip-0 failed: EBUSY (Device or resource busy).", e.Message);
        Assert.Equal("errno 200", Errno.Name(200));
    }

    [Fact]
    public void Mapping_dev_null_fails_with_an_errno_and_no_mapping()
    {
        using var fd = Libc.OpenFile("/dev/null", Libc.O_RDWR | Libc.O_CLOEXEC);

        int errno = Libc.TryMapShared(fd, 4096, 0, out var mapping);

        Assert.Equal(Errno.ENODEV, errno);
        Assert.Null(mapping);
    }

    [Fact]
    public void Poll_on_dev_null_is_readable_at_once()
    {
        using var fd = Libc.OpenFile("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC);

        Assert.Equal(0, Libc.TryPoll(fd, Libc.POLLIN, 1000, out short revents));
        Assert.Equal(Libc.POLLIN, revents & Libc.POLLIN);
    }
}
