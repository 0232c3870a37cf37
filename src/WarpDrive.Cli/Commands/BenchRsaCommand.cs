using WarpDrive.Cli.CommandLine;
using WarpDrive.Cli.Benchmarks;

namespace WarpDrive.Cli.Commands;

/// <summary><c>warpdrive bench rsa</c>: WarpDrive's RSA engine, BouncyCastle's RsaBlindedEngine and .NET's RSA side by side.</summary>
internal static class BenchRsaCommand
{
    private const string Name = "warpdrive bench rsa";

    private static readonly OptionSpec[] Options =
    [
        new("--quick", null, "Short runs: the whole benchmark within 60 s."),
        new("--json", "PATH", "Also write the results to PATH as a JSON array of {system, operation, key_bits, threads, ops_per_s}."),
    ];

    public static string Help => CliApplication.FormatHelp(
        "warpdrive bench rsa [--quick] [--json PATH]",
        """
        Measures RSA-2048 and RSA-4096 private and public operations per second with 1 and 2 threads, side by
        side in one run: warpdrive (WarpDriveRsaEngine through the pool), RsaBlindedEngine (BouncyCastle) and
        DotNetRSA (System.Security.Cryptography.RSA). Progress goes to stderr, the table to stdout.
        """,
        Options);

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout, TextWriter stderr)
    {
        var options = ParsedOptions.Parse(Name, Options, args);
        if (options.HelpRequested)
        {
            stdout.WriteLine(Help);
            return CliApplication.ExitOk;
        }
        var records = RsaBenchmark.Run(options.Has("--quick"), stderr);
        RsaBenchmark.WriteTable(records, stdout);
        if (options.Value("--json") is { } path)
        {
            using var file = new StreamWriter(path);
            RsaBenchmark.WriteJson(records, file);
        }
        return CliApplication.ExitOk;
    }
}
