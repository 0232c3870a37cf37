namespace WarpDrive.Cli;

/// <summary>The <c>warpdrive</c> command.</summary>
internal static class Program
{
    private static int Main(string[] args) => CliApplication.Run(args, Console.Out, Console.Error);
}
