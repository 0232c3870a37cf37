using WarpDrive.Devices.Uacce;

namespace WarpDrive.Tests.Devices.Uacce;

/// <summary>One bad device is skipped with a reason; its neighbours are still found; nothing throws.</summary>
public class DiscoveryMalformedEntryTests
{
    private static (UacceDiscoveryResult Result, string Reason) DiscoverBroken(Action<FakeDevice> breakIt)
    {
        using var tree = new FakeUacceTree();
        tree.AddDevice("hisi_zip-0");
        breakIt(tree.AddDevice("hisi_zip-1"));
        tree.AddDevice("hisi_zip-2");

        var result = UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot);

        Assert.Equal(["hisi_zip-0", "hisi_zip-2"], result.Devices.Select(d => d.Name));
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("hisi_zip-1", diagnostic.Name);
        return (result, diagnostic.Reason);
    }

    [Fact]
    public void Missing_api_file_skips_the_device()
    {
        var (_, reason) = DiscoverBroken(d => d.Remove("api"));
        Assert.Equal("api: missing", reason);
    }

    [Fact]
    public void Empty_api_skips_the_device()
    {
        var (_, reason) = DiscoverBroken(d => d.Set("api", ""));
        Assert.Equal("api: empty", reason);
    }

    [Fact]
    public void Non_numeric_flags_skip_the_device()
    {
        var (_, reason) = DiscoverBroken(d => d.Set("flags", "sva"));
        Assert.StartsWith("flags: \"sva\" is not an unsigned integer", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_algorithms_skip_the_device()
    {
        var (_, reason) = DiscoverBroken(d => d.Set("algorithms", ""));
        Assert.Equal("algorithms: empty", reason);
    }

    [Theory]
    [InlineData("region_mmio_size", "lots")]
    [InlineData("region_dus_size", "-4096")]
    [InlineData("region_dus_size", "0x25000")]
    [InlineData("region_dus_size", "99999999999999999999999")]
    public void Garbage_region_sizes_skip_the_device(string attribute, string value)
    {
        var (_, reason) = DiscoverBroken(d => d.Set(attribute, value));
        Assert.StartsWith($"{attribute}: ", reason, StringComparison.Ordinal);
        Assert.Contains("not an unsigned integer", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hidden_region_size_skips_the_device()
    {
        var (_, reason) = DiscoverBroken(d => d.Remove("region_dus_size"));
        Assert.Equal("region_dus_size: missing", reason);
    }

    [Fact]
    public void A_zero_region_skips_the_device()
    {
        var (_, reason) = DiscoverBroken(d => d.Set("region_mmio_size", "0"));
        Assert.Contains("empty region", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_attribute_skips_the_device()
    {
        var (_, reason) = DiscoverBroken(d => d.MakeUnreadable("flags"));
        Assert.StartsWith("flags: unreadable", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_isolate_skips_the_device()
    {
        var (_, reason) = DiscoverBroken(d => d.Set("isolate", "maybe"));
        Assert.StartsWith("isolate: ", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_available_instances_skip_the_device()
    {
        var (_, reason) = DiscoverBroken(d => d.Set("available_instances", "many"));
        Assert.StartsWith("available_instances: ", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_available_instances_mean_unknown()
    {
        // The kernel answers ENODEV when the driver has no get_available_instances.
        using var tree = new FakeUacceTree();
        tree.AddDevice("hisi_zip-0").MakeUnreadable("available_instances");

        var d = Assert.Single(UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot).Devices);

        Assert.Equal(-1, d.AvailableInstances);
    }

    [Fact]
    public void A_stray_file_in_the_class_directory_is_reported_not_thrown()
    {
        using var tree = new FakeUacceTree();
        tree.AddDevice("hisi_zip-0");
        File.WriteAllText(Path.Combine(tree.SysfsRoot, "README"), "not a device");
        Directory.CreateSymbolicLink(Path.Combine(tree.SysfsRoot, "hisi_zip-9"), Path.Combine(tree.Root, "gone"));

        var result = UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot);

        Assert.Equal("hisi_zip-0", Assert.Single(result.Devices).Name);
        Assert.Equal(["README", "hisi_zip-9"], result.Diagnostics.Select(d => d.Name));
        Assert.All(result.Diagnostics, d => Assert.Equal("not a directory", d.Reason));
    }

    [Fact]
    public void Garbage_informational_attributes_fall_back_to_unknown()
    {
        using var tree = new FakeUacceTree();
        tree.AddDevice("hisi_zip-0").Set("isolate_strategy", "often").Set("numa_distance", "far").SetNumaNode("north");

        var d = Assert.Single(UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot).Devices);

        Assert.Null(d.IsolateStrategy);
        Assert.Null(d.NumaDistance);
        Assert.Equal(0, d.NumaNode);
    }
}
