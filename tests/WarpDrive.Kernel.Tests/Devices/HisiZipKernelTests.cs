using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.IO.Compression;
using WarpDrive.Compression;
using WarpDrive.Hosting;
using WarpDrive.Queues;
using WarpDrive.Scheduling;
using WarpDrive.Scheduling.Diagnostics;
using WarpDrive.Tests.Infrastructure;
using WarpDrive.Tests.Scheduling;

namespace WarpDrive.Tests.Devices.Uacce;

/// <summary>
/// WarpDrive's compression streams on <c>/dev/hisi_zip-N</c>, the kernel's QM/ZIP soft device (native/hisi-zip), with
/// the user driver written for the hardware, unchanged. Runs in the kernel tier (qemu guest); each test loads
/// hisi_zip with the parameters it needs (SVA or not) through insmod and removes it afterwards, so the echo tests
/// see only their device. Runs alone, after the other kernel tests.
/// </summary>
[Collection(nameof(KernelDeviceAlone))]
public sealed class HisiZipKernelTests : IDisposable
{
    private const int FileBytes = 6 << 20;

    public void Dispose() => HisiZip.Unload();

    public enum Format { GZip, ZLib, Deflate }

    [Theory]
    [InlineData(Format.GZip, true)]
    [InlineData(Format.ZLib, true)]
    [InlineData(Format.Deflate, true)]
    [InlineData(Format.GZip, false)]
    [InlineData(Format.ZLib, false)]
    [InlineData(Format.Deflate, false)]
    public void A_real_file_round_trips_through_the_kernel_device(Format format, bool sva)
    {
        HisiZip.Load(sva ? "" : "sva=0");
        using var served = new ServedBy();
        using var pool = new AcceleratorPool(new WarpDriveOptions());
        var device = HisiZip.Device(pool);
        Assert.Equal(AcceleratorKind.Hardware, device.Kind);
        Assert.Equal(sva, device.Sva);
        var options = new WarpDriveCompressionOptions { Pool = pool };
        byte[] input = RealFile();

        var compressed = new MemoryStream();
        using (var z = Compressor(format, compressed, options))
            z.Write(input);
        byte[] packed = compressed.ToArray();
        long onDevice = served.Count(device.Name);
        Assert.True(onDevice > 0, $"no compress request ran on {device.Name} ({served})");

        // Something the device did not compute reads it: gzip -d for gzip, System.IO.Compression for the others.
        Assert.Equal(input, format == Format.GZip ? GunzipTool(packed) : Inflate(format, packed));

        var back = new MemoryStream();
        using (var z = Decompressor(format, new MemoryStream(packed), options))
            z.CopyTo(back);
        Assert.Equal(input, back.ToArray());
        Assert.True(served.Count(device.Name) > onDevice, $"no decompress request ran on {device.Name} ({served})");
        Console.WriteLine($"HisiZipKernelTests: {format} {(sva ? "SVA" : "no-SVA")} {input.Length} -> {packed.Length} bytes; {served}");
    }

    [Fact]
    public void A_foreign_gzip_decompresses_in_stream_mode_on_the_device()
    {
        HisiZip.Load("");
        using var served = new ServedBy();
        using var pool = new AcceleratorPool(new WarpDriveOptions());
        var device = HisiZip.Device(pool);
        byte[] input = RealFile();
        var foreign = ForeignGzip(input);

        var options = new WarpDriveCompressionOptions { Pool = pool, StreamDecompression = StreamDecompressionMode.Requests };
        var back = new MemoryStream();
        using (var z = new WarpDriveGZipStream(foreign, CompressionMode.Decompress, options))
            z.CopyTo(back);
        Assert.Equal(input, back.ToArray());
        Assert.True(served.Count(device.Name) > 1, $"the stream did not run on {device.Name} ({served})");
    }

    [Fact]
    public void Removing_the_device_mid_compression_loses_nothing()
    {
        HisiZip.Load("");
        using var served = new ServedBy();
        using var pool = new AcceleratorPool(new WarpDriveOptions { RequestTimeout = TimeSpan.FromSeconds(2) });
        var device = HisiZip.Device(pool);
        byte[] input = RealFile();
        var options = new WarpDriveCompressionOptions { Pool = pool, ChunkSize = 256 << 10 };

        var compressed = new MemoryStream();
        using (var z = new WarpDriveGZipStream(compressed, CompressionMode.Compress, options, leaveOpen: true))
        {
            int third = input.Length / 3;
            z.Write(input.AsSpan(0, third));
            z.Flush();
            Assert.True(served.Count(device.Name) > 0, $"nothing ran on {device.Name} before removal ({served})");
            HisiZip.Unload();
            z.Write(input.AsSpan(third));
        }
        Assert.Equal(input, GunzipTool(compressed.ToArray()));
        Console.WriteLine($"HisiZipKernelTests: removal mid-compression; {served}");
    }

    [Fact]
    public void Removing_the_device_mid_stream_decompression_is_a_clean_IOException()
    {
        HisiZip.Load("");
        using var pool = new AcceleratorPool(new WarpDriveOptions { RequestTimeout = TimeSpan.FromSeconds(2) });
        HisiZip.Device(pool);
        byte[] input = RealFile();
        var foreign = ForeignGzip(input);

        var options = new WarpDriveCompressionOptions { Pool = pool, StreamDecompression = StreamDecompressionMode.Requests };
        var back = new MemoryStream();
        var buffer = new byte[64 << 10];
        Exception? error = null;
        using (var z = new WarpDriveGZipStream(foreign, CompressionMode.Decompress, options))
        {
            try
            {
                int n;
                while ((n = z.Read(buffer)) > 0)
                {
                    back.Write(buffer, 0, n);
                    if (back.Length >= input.Length / 4 && HisiZip.Loaded)
                        HisiZip.Unload();
                }
            }
            catch (Exception e)
            {
                error = e;
            }
        }
        // The stream's state lived in the device: an IOException, with what was read so far intact; or, had the
        // reader replayed the body elsewhere, the whole of it. Never other data, another exception or a hang.
        Assert.False(HisiZip.Loaded);
        if (error is not null)
            Assert.IsAssignableFrom<IOException>(error);
        else
            Assert.Equal(input.Length, back.Length);
        Assert.Equal(input.AsSpan(0, (int)back.Length).ToArray(), back.ToArray());
        Console.WriteLine($"HisiZipKernelTests: removal mid-stream: {(error is null ? "completed" : error.GetType().Name + ": " + error.Message)} after {back.Length} bytes");
    }

    private static Stream Compressor(Format format, Stream output, WarpDriveCompressionOptions options) => format switch
    {
        Format.GZip => new WarpDriveGZipStream(output, CompressionMode.Compress, options, leaveOpen: true),
        Format.ZLib => new WarpDriveZLibStream(output, CompressionMode.Compress, options, leaveOpen: true),
        _ => new WarpDriveDeflateStream(output, CompressionMode.Compress, options, leaveOpen: true),
    };

    private static Stream Decompressor(Format format, Stream input, WarpDriveCompressionOptions options) => format switch
    {
        Format.GZip => new WarpDriveGZipStream(input, CompressionMode.Decompress, options),
        Format.ZLib => new WarpDriveZLibStream(input, CompressionMode.Decompress, options),
        _ => new WarpDriveDeflateStream(input, CompressionMode.Decompress, options),
    };

    private static byte[] Inflate(Format format, byte[] packed)
    {
        var back = new MemoryStream();
        using Stream z = format == Format.ZLib
            ? new ZLibStream(new MemoryStream(packed), CompressionMode.Decompress)
            : new DeflateStream(new MemoryStream(packed), CompressionMode.Decompress);
        z.CopyTo(back);
        return back.ToArray();
    }

    /// <summary><paramref name="input"/> as System.IO.Compression's gzip writes it, positioned to be read.</summary>
    private static MemoryStream ForeignGzip(byte[] input)
    {
        var foreign = new MemoryStream();
        using (var gz = new GZipStream(foreign, CompressionLevel.Optimal, leaveOpen: true))
            gz.Write(input);
        foreign.Position = 0;
        return foreign;
    }

    /// <summary>The first <see cref="FileBytes"/> of a real file: the runtime's CoreLib (code, metadata, strings).</summary>
    private static byte[] RealFile()
    {
        using var file = File.OpenRead(typeof(object).Assembly.Location);
        var data = new byte[Math.Min(FileBytes, file.Length)];
        file.ReadExactly(data);
        Assert.True(data.Length >= 2 << 20, "the real file is smaller than 2 MiB");
        return data;
    }

    /// <summary><c>gzip -d</c> (gzip's, else busybox's) on <paramref name="packed"/>.</summary>
    private static byte[] GunzipTool(byte[] packed)
    {
        string dir = Directory.CreateTempSubdirectory("hisi-zip-").FullName;
        try
        {
            string gz = Path.Combine(dir, "data.gz");
            File.WriteAllBytes(gz, packed);
            if (new[] { "/bin/gzip", "/usr/bin/gzip" }.FirstOrDefault(File.Exists) is { } gzip)
                HisiZip.Run(gzip, "-d", gz);
            else
                HisiZip.Run(HisiZip.Busybox, "gzip", "-d", gz);
            return File.ReadAllBytes(Path.Combine(dir, "data"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Counts completed requests by device from the pool's <c>warpdrive.requests</c> metric.</summary>
    private sealed class ServedBy : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

        public ServedBy()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == WarpDriveMetrics.MeterName && instrument.Name == "warpdrive.requests")
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string device = "?";
                foreach (var tag in tags)
                    if (tag.Key == "warpdrive.device")
                        device = tag.Value as string ?? "in-process";
                _counts.AddOrUpdate(device, value, (_, v) => v + value);
            });
            _listener.Start();
        }

        public long Count(string device) => _counts.GetValueOrDefault(device);

        public override string ToString() => string.Join(", ", _counts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}"));

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>Loads and removes native/hisi-zip's module (kmod's tools, else busybox's applets).</summary>
    private static class HisiZip
    {
        public static string Busybox =>
            Environment.GetEnvironmentVariable("WARPDRIVE_BUSYBOX") is { Length: > 0 } bb && File.Exists(bb) ? bb
            : new[] { "/bin/busybox", "/usr/bin/busybox" }.FirstOrDefault(File.Exists) ?? "busybox";

        public static bool Loaded => Directory.Exists("/sys/module/hisi_zip");

        public static void Load(string parameters)
        {
            if (!KernelTier.Active)
                Assert.Skip("hisi_zip is loaded by the kernel tier (qemu guest) only.");
            Unload();
            string module = FindModule()
                ?? throw new InvalidOperationException($"hisi_zip.ko not found above {AppContext.BaseDirectory} (native/hisi-zip) nor in WARPDRIVE_HISI_ZIP_KO.");
            Run(Tool("insmod"), [.. ToolPrefix("insmod"), module, "uacce_mode=1", .. parameters.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
            var deadline = Stopwatch.StartNew();
            while (!Directory.EnumerateDirectories("/sys/class/uacce", "hisi_zip-*").Any())
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "hisi_zip registered no device");
                Thread.Sleep(10);
            }
        }

        public static void Unload()
        {
            if (Loaded)
                Run(Tool("rmmod"), [.. ToolPrefix("rmmod"), "hisi_zip"]);
        }

        public static AcceleratorDeviceInfo Device(AcceleratorPool pool)
        {
            var device = pool.Devices.FirstOrDefault(d => d.Name.StartsWith("hisi_zip-", StringComparison.Ordinal));
            Assert.True(device is not null, $"the pool did not discover hisi_zip: {string.Join(", ", pool.Devices.Select(d => d.Name))}");
            Assert.Equal(device, pool.Devices[0]);
            return device;
        }

        private static string? FindModule()
        {
            if (Environment.GetEnvironmentVariable("WARPDRIVE_HISI_ZIP_KO") is { Length: > 0 } env && File.Exists(env))
                return env;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "native", "hisi-zip", "hisi_zip.ko");
                if (File.Exists(candidate))
                    return candidate;
            }
            return null;
        }

        private static string? KmodTool(string tool) =>
            new[] { "/sbin/", "/usr/sbin/", "/bin/", "/usr/bin/" }.Select(d => d + tool).FirstOrDefault(File.Exists);

        private static string Tool(string tool) => KmodTool(tool) ?? Busybox;

        private static string[] ToolPrefix(string tool) => KmodTool(tool) is null ? [tool] : [];

        public static void Run(string file, params string[] arguments)
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in arguments)
                psi.ArgumentList.Add(a);
            using var process = Process.Start(psi)!;
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(60_000), $"{file} {string.Join(' ', arguments)} hangs");
            Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)}: exit {process.ExitCode}: {output}");
        }
    }
}
