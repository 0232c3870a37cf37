using System.Diagnostics;

namespace WarpDrive.Tests.Helpers;

/// <summary>Runs the real tools tests compare against (gzip, pigz, curl, openssl, cc) and collects what they print.</summary>
internal static class ProcessRunner
{
    /// <summary>Runs <paramref name="command"/> with <paramref name="stdin"/> as its whole input; binary output.</summary>
    public static (byte[] Output, string Error, int ExitCode) Run(string command, string arguments, byte[] stdin)
    {
        var info = new ProcessStartInfo(command, arguments) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();
        copy.Wait();
        process.WaitForExit();
        return (output.ToArray(), error.Result, process.ExitCode);
    }

    /// <summary>
    /// Runs <paramref name="command"/> with text output, for at most a minute. Without <paramref name="stdin"/> its
    /// input closes at once; with it, the text is written and the input stays open (a client such as
    /// <c>openssl s_client</c> then runs until the server closes the session).
    /// </summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunTextAsync(string command, string arguments, string? stdin = null)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        if (stdin is not null)
            await process.StandardInput.WriteAsync(stdin);
        else
            process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
