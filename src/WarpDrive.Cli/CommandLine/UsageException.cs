namespace WarpDrive.Cli.CommandLine;

/// <summary>The command line is wrong: the message says how, <see cref="Command"/> names the command whose help applies.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message, string command)
        : base(message)
    {
        Command = command;
    }

    public UsageException()
    {
        Command = "warpdrive";
    }

    public UsageException(string message)
        : this(message, "warpdrive")
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
        Command = "warpdrive";
    }

    /// <summary>The command as typed, for example <c>warpdrive bench queue</c>.</summary>
    public string Command { get; }
}
