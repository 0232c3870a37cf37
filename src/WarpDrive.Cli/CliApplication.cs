using System.Reflection;
using WarpDrive.Cli.CommandLine;
using WarpDrive.Cli.Commands;

namespace WarpDrive.Cli;

/// <summary>
/// The command tree of <c>warpdrive</c>, callable in-process: <see cref="Run"/> takes the arguments and the two
/// writers and returns the exit code (0 done, 1 failed, 2 bad command line).
/// </summary>
internal static class CliApplication
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitUsage = 2;

    private const string RootHelp = """
        warpdrive: WarpDrive accelerator queues from the command line.

        Usage: warpdrive <command> [options]

        Commands:
          devices        List the devices WarpDrive can use (hardware, kernel soft engine, in-process engine).
          gzip           Compress files or stdin to gzip through WarpDrive (gzip's everyday flags).
          gunzip         Decompress gzip files or stdin through WarpDrive.
          bench queue    Measure the queue hand-off side by side with a pipe and a SemaphoreSlim.
          bench compress Measure WarpDrive, DeflateStream and SharpZipLib on the same corpus.
          bench rsa      Measure WarpDrive's RSA engine, RsaBlindedEngine and .NET's RSA.

        Options:
          -h, --help     Show help (also after any command).
          --version      Show the version.
        """;

    private const string BenchHelp = """
        Usage: warpdrive bench <benchmark> [options]

        Benchmarks:
          queue          No-op request round trip and batched throughput through the in-process soft engine's
                         queue and the pool, side by side with a pipe pair and a SemaphoreSlim pair.
          compress       Compress and decompress MB/s and output size: WarpDrive, DeflateStream, SharpZipLib.
          rsa            Private and public RSA operations per second: WarpDrive, RsaBlindedEngine, .NET RSA.

        Run 'warpdrive bench <benchmark> --help' for its options.
        """;

    /// <summary>Runs one command line. Never throws for bad arguments: they return <see cref="ExitUsage"/>.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var argv = args.ToArray();
        try
        {
            return Dispatch(argv, stdout, stderr);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"{e.Command}: {e.Message}");
            stderr.WriteLine($"Run '{e.Command} --help' for usage.");
            return ExitUsage;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or TimeoutException or Queues.AcceleratorException)
        {
            stderr.WriteLine($"warpdrive: {e.Message}");
            return ExitFailed;
        }
    }

    private static int Dispatch(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0)
            throw new UsageException("a command is required (devices, gzip, gunzip, bench).", "warpdrive");
        switch (args[0])
        {
            case "-h" or "--help" or "-?" or "help":
                stdout.WriteLine(RootHelp);
                return ExitOk;
            case "--version":
                stdout.WriteLine(Version);
                return ExitOk;
            case "devices":
                return DevicesCommand.Run(args.AsSpan(1), stdout);
            case "gzip":
                // gzip writes compressed bytes, so it takes the process's raw standard streams, not the text writers.
                return Gzip.GzipTool.Run(args[1..], Console.OpenStandardInput(), Console.OpenStandardOutput(), stderr, Gzip.GzipToolTerminal.FromConsole());
            case "gunzip":
                return Gzip.GzipTool.RunGunzip(args[1..], Console.OpenStandardInput(), Console.OpenStandardOutput(), stderr);
            case "bench":
                if (args.Length == 1)
                    throw new UsageException("a benchmark is required (queue, compress, rsa).", "warpdrive bench");
                return args[1] switch
                {
                    "-h" or "--help" or "-?" => Help(stdout, BenchHelp),
                    "queue" => BenchQueueCommand.Run(args.AsSpan(2), stdout, stderr),
                    "compress" => Benchmarks.CompressionBenchmark.RunCommand(args[2..], stdout, stderr),
                    "rsa" => BenchRsaCommand.Run(args.AsSpan(2), stdout, stderr),
                    _ => throw new UsageException($"unknown benchmark '{args[1]}' (known: queue, compress, rsa).", "warpdrive bench"),
                };
            default:
                throw new UsageException($"unknown command '{args[0]}' (known: devices, gzip, gunzip, bench).", "warpdrive");
        }
    }

    private static int Help(TextWriter stdout, string text)
    {
        stdout.WriteLine(text);
        return ExitOk;
    }

    internal static string Version =>
        typeof(CliApplication).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CliApplication).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>Help text for a command: usage line, description, then its options.</summary>
    internal static string FormatHelp(string usage, string description, IReadOnlyList<OptionSpec> options)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("Usage: ").AppendLine(usage).AppendLine().AppendLine(description).AppendLine().AppendLine("Options:");
        var names = options.Select(o => o.TakesValue ? $"{o.Name} {o.ValueName}" : o.Name).Append("-h, --help").ToList();
        int width = names.Max(n => n.Length) + 2;
        for (int i = 0; i < options.Count; i++)
            sb.Append("  ").Append(names[i].PadRight(width)).AppendLine(options[i].Description);
        sb.Append("  ").Append(names[^1].PadRight(width)).AppendLine("Show this help.");
        return sb.ToString();
    }
}
