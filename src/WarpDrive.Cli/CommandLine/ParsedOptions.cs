namespace WarpDrive.Cli.CommandLine;

/// <summary>One option a command accepts: <c>--name</c>, with a value or as a flag.</summary>
/// <param name="Name">The option with its dashes, for example <c>--json</c>.</param>
/// <param name="ValueName">What the value is, for example <c>PATH</c>; null for a flag.</param>
/// <param name="Description">One line for the help.</param>
internal sealed record OptionSpec(string Name, string? ValueName, string Description)
{
    public bool TakesValue => ValueName is not null;
}

/// <summary>
/// The options of one command, parsed from its arguments: <c>--flag</c>, <c>--name value</c>, <c>--name=value</c>,
/// <c>-h</c>/<c>--help</c>. Anything else is a <see cref="UsageException"/>.
/// </summary>
internal sealed class ParsedOptions
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly string _command;

    private ParsedOptions(string command) => _command = command;

    /// <summary>True when <c>--help</c> or <c>-h</c> was given.</summary>
    public bool HelpRequested { get; private set; }

    public static ParsedOptions Parse(string command, IReadOnlyList<OptionSpec> specs, ReadOnlySpan<string> args)
    {
        var parsed = new ParsedOptions(command);
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg is "-h" or "--help" or "-?")
            {
                parsed.HelpRequested = true;
                continue;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                throw new UsageException($"unexpected argument '{arg}'.", command);
            string name = arg;
            string? inlineValue = null;
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                name = arg[..eq];
                inlineValue = arg[(eq + 1)..];
            }
            var spec = specs.FirstOrDefault(s => s.Name == name)
                ?? throw new UsageException($"unknown option '{name}'.", command);
            if (parsed._values.ContainsKey(spec.Name))
                throw new UsageException($"option '{spec.Name}' is given twice.", command);
            if (!spec.TakesValue)
            {
                if (inlineValue is not null)
                    throw new UsageException($"option '{spec.Name}' takes no value.", command);
                parsed._values[spec.Name] = null;
                continue;
            }
            string? value = inlineValue;
            if (value is null)
            {
                if (i + 1 >= args.Length || (args[i + 1].StartsWith("--", StringComparison.Ordinal) && args[i + 1].Length > 2))
                    throw new UsageException($"option '{spec.Name}' needs a value ({spec.ValueName}).", command);
                value = args[++i];
            }
            if (value.Length == 0)
                throw new UsageException($"option '{spec.Name}' needs a non-empty value ({spec.ValueName}).", command);
            parsed._values[spec.Name] = value;
        }
        return parsed;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Value(string name) => _values.TryGetValue(name, out var v) ? v : null;

    /// <summary>The option's value as an integer in <paramref name="min"/>..<paramref name="max"/>, or <paramref name="fallback"/> when absent.</summary>
    public int Int(string name, int fallback, int min, int max)
    {
        var text = Value(name);
        if (text is null)
            return fallback;
        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int value))
            throw new UsageException($"option '{name}' needs a whole number, not '{text}'.", _command);
        if (value < min || value > max)
            throw new UsageException($"option '{name}' must be {min}..{max} (was {value}).", _command);
        return value;
    }
}
