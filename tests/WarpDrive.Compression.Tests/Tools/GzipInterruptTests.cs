using System.Diagnostics;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests.Tools;

/// <summary>
/// SIGINT or SIGTERM to a running <c>warpdrive gzip</c> leaves neither its temporary output nor a result behind, and
/// the input stays. Runs alone, so the other tests' load cannot let the child finish before it is interrupted.
/// </summary>
[Collection(nameof(GzipInterruptAlone))]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class GzipInterruptTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wd-gzip-interrupt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task An_interrupted_gzip_leaves_no_temporary_file(string signal)
    {
        string big = Path.Combine(_dir, "big.bin");
        var data = Corpus.Mixed(64 << 20);
        using (var file = File.Create(big))
        {
            for (int i = 0; i < 4; i++)
                file.Write(data);
        }
        string tool = Path.Combine(AppContext.BaseDirectory, "warpdrive.dll");
        // A shell's background job (CI often runs there) inherits SIGINT ignored, and gzip leaves an ignored SIGINT
        // ignored, as does ours; the child gets it at its default, as a terminal's foreground process has it.
        const string DefaultSigint = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])";
        using var process = Process.Start(new ProcessStartInfo("python3", ["-c", DefaultSigint, "dotnet", tool, "gzip", "-9", big]) { RedirectStandardError = true })!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        string temporary = big + ".gz.wdtmp";
        var clock = Stopwatch.StartNew();
        while (!File.Exists(temporary) && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(10, TestContext.Current.CancellationToken);
        Assert.True(File.Exists(temporary),
            $"the temporary output never appeared (child exited: {process.HasExited}, after {clock.ElapsedMilliseconds} ms)");
        using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            kill.WaitForExit();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), $"the child did not stop after SIG{signal}");
        Assert.True(process.ExitCode != 0, $"the child finished before SIG{signal} reached it: {await stderr}");
        Assert.False(File.Exists(temporary), "the temporary output was left behind");
        Assert.False(File.Exists(big + ".gz"));
        Assert.True(File.Exists(big));
    }
}

/// <summary>Tests that must not share the machine with the rest of the suite.</summary>
[CollectionDefinition(nameof(GzipInterruptAlone), DisableParallelization = true)]
public sealed class GzipInterruptAlone;
