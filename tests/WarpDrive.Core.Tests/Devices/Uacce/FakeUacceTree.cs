namespace WarpDrive.Tests.Devices.Uacce;

/// <summary>
/// A fake <c>/sys/class/uacce</c> and <c>/dev</c> in a temp directory, shaped like the kernel's: device directories
/// live under <c>sys/devices/…</c> and the class directory holds symlinks to them.
/// </summary>
internal sealed class FakeUacceTree : IDisposable
{
    public FakeUacceTree()
    {
        Root = Directory.CreateTempSubdirectory("warpdrive-uacce-").FullName;
        SysfsRoot = Path.Combine(Root, "sys", "class", "uacce");
        DevRoot = Path.Combine(Root, "dev");
        Directory.CreateDirectory(SysfsRoot);
        Directory.CreateDirectory(DevRoot);
    }

    public string Root { get; }
    public string SysfsRoot { get; }
    public string DevRoot { get; }

    /// <summary>Adds a well-formed QM device (ZIP geometry, 4 KiB pages) with every upstream attribute.</summary>
    /// <param name="name">Class device name.</param>
    /// <param name="attrsLayout">Put the attributes under <c>attrs/</c> (old out-of-tree uacce) instead of flat.</param>
    public FakeDevice AddDevice(string name, bool attrsLayout = false)
    {
        string real = Path.Combine(Root, "sys", "devices", "pci0000:00", name, "uacce", name);
        Directory.CreateDirectory(real);
        Directory.CreateSymbolicLink(Path.Combine(SysfsRoot, name), real);
        var device = new FakeDevice(real, attrsLayout);
        device.Set("api", "hisi_qm_v2");
        device.Set("flags", "0");
        device.Set("available_instances", "64");
        device.Set("algorithms", "zlib\ngzip");
        device.Set("region_mmio_size", "8192");
        device.Set("region_dus_size", "151552"); // 0x25000: 1024 × 128-byte SQEs + 1024 CQEs + a page
        device.Set("isolate", "0");
        device.Set("isolate_strategy", "0");
        device.SetNumaNode("0");
        return device;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A test that failed half-way may leave something open; the temp dir is not worth failing over.
        }
    }
}

/// <summary>One fake device directory.</summary>
internal sealed class FakeDevice(string path, bool attrsLayout)
{
    public string Path { get; } = path;

    private string AttributeDirectory => attrsLayout ? System.IO.Path.Combine(Path, "attrs") : Path;

    /// <summary>Writes an attribute the way sysfs shows it: the value and a newline.</summary>
    public FakeDevice Set(string attribute, string value)
    {
        Directory.CreateDirectory(AttributeDirectory);
        File.WriteAllText(System.IO.Path.Combine(AttributeDirectory, attribute), value + "\n");
        return this;
    }

    /// <summary>Writes an attribute into the flat directory whatever the layout.</summary>
    public FakeDevice SetFlat(string attribute, string value)
    {
        File.WriteAllText(System.IO.Path.Combine(Path, attribute), value + "\n");
        return this;
    }

    public FakeDevice Remove(string attribute)
    {
        File.Delete(System.IO.Path.Combine(AttributeDirectory, attribute));
        return this;
    }

    /// <summary>Replaces an attribute with a directory: reading it fails the way an unreadable file does.</summary>
    public FakeDevice MakeUnreadable(string attribute)
    {
        Remove(attribute);
        Directory.CreateDirectory(System.IO.Path.Combine(AttributeDirectory, attribute));
        return this;
    }

    public FakeDevice SetNumaNode(string value)
    {
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "device"));
        File.WriteAllText(System.IO.Path.Combine(Path, "device", "numa_node"), value + "\n");
        return this;
    }

    public FakeDevice RemoveNumaNode()
    {
        File.Delete(System.IO.Path.Combine(Path, "device", "numa_node"));
        return this;
    }
}
