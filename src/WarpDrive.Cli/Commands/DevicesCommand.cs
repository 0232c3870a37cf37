using System.Globalization;
using System.Text.Json;
using WarpDrive.Cli.CommandLine;
using WarpDrive.Queues;
using WarpDrive.Scheduling;

namespace WarpDrive.Cli.Commands;

/// <summary><c>warpdrive devices [--json]</c>: the devices an <see cref="AcceleratorPool"/> would use, in preference order.</summary>
internal static class DevicesCommand
{
    private const string Name = "warpdrive devices";

    private static readonly string[] Header = ["NAME", "KIND", "API", "ALGORITHMS", "QUEUES", "NUMA", "SVA", "WORKERS"];

    private static readonly OptionSpec[] Options =
    [
        new("--json", null, "Write the list as JSON (an array of devices) instead of a table."),
        new("--sysfs-root", "PATH", "Where uacce devices are listed (default /sys/class/uacce)."),
        new("--dev-root", "PATH", "Where uacce device nodes live (default /dev)."),
    ];

    public static string Help => CliApplication.FormatHelp(
        "warpdrive devices [--json] [--sysfs-root PATH] [--dev-root PATH]",
        "Lists the devices WarpDrive can use, in the order the pool prefers them: hardware, then the kernel soft\n" +
        "engine, then the in-process soft engine, which is always there.",
        Options);

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout)
    {
        var options = ParsedOptions.Parse(Name, Options, args);
        if (options.HelpRequested)
        {
            stdout.WriteLine(Help);
            return CliApplication.ExitOk;
        }
        var poolOptions = new WarpDriveOptions();
        poolOptions.SysfsRoot = options.Value("--sysfs-root") ?? poolOptions.SysfsRoot;
        poolOptions.DevRoot = options.Value("--dev-root") ?? poolOptions.DevRoot;
        using var pool = new AcceleratorPool(poolOptions);
        var devices = pool.Devices;
        int workers = pool.Options.SoftEngine.WorkerCount;
        if (options.Has("--json"))
            WriteJson(stdout, devices, pool.Options.SoftEngine.Name, workers);
        else
            WriteTable(stdout, devices, pool.Options.SoftEngine.Name, workers);
        return CliApplication.ExitOk;
    }

    private static string KindName(AcceleratorKind kind) => kind switch
    {
        AcceleratorKind.Hardware => "Hardware",
        AcceleratorKind.KernelSoft => "KernelSoft",
        AcceleratorKind.InProcess => "InProcess",
        _ => kind.ToString(),
    };

    private static void WriteTable(TextWriter stdout, IReadOnlyList<AcceleratorDeviceInfo> devices, string softName, int workers)
    {
        var rows = new List<string[]> { Header };
        foreach (var d in devices)
        {
            rows.Add(
            [
                d.Name,
                KindName(d.Kind),
                d.Api,
                string.Join(",", d.Algorithms),
                d.AvailableQueues < 0 ? "?" : d.AvailableQueues.ToString(CultureInfo.InvariantCulture),
                d.NumaNode.ToString(CultureInfo.InvariantCulture),
                d.Sva ? "yes" : "no",
                d.Kind == AcceleratorKind.InProcess && d.Name == softName ? workers.ToString(CultureInfo.InvariantCulture) : "-",
            ]);
        }
        TextTable.Write(stdout, rows);
        if (devices.All(d => d.Kind == AcceleratorKind.InProcess))
            stdout.WriteLine("No hardware or kernel soft device found: work runs on the in-process soft engine.");
    }

    private static void WriteJson(TextWriter stdout, IReadOnlyList<AcceleratorDeviceInfo> devices, string softName, int workers)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var d in devices)
            {
                json.WriteStartObject();
                json.WriteString("name", d.Name);
                json.WriteString("kind", KindName(d.Kind));
                json.WriteString("api", d.Api);
                json.WriteStartArray("algorithms");
                foreach (var a in d.Algorithms)
                    json.WriteStringValue(a);
                json.WriteEndArray();
                json.WriteNumber("available_queues", d.AvailableQueues);
                json.WriteNumber("numa_node", d.NumaNode);
                json.WriteBoolean("sva", d.Sva);
                if (d.Kind == AcceleratorKind.InProcess && d.Name == softName)
                    json.WriteNumber("workers", workers);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
