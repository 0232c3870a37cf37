using System.Globalization;

namespace WarpDrive.Devices.Uacce;

/// <summary>
/// Reads the attributes of one <c>/sys/class/uacce/&lt;name&gt;</c> directory. Each attribute is looked up in an
/// <c>attrs/</c> subdirectory first and then in the directory itself, as the WarpDrive v1 library did: old
/// out-of-tree uacce versions grouped them there, mainline does not (spec §1.3).
/// </summary>
/// <remarks>
/// Every read reports one of three outcomes (value, absent, unreadable) and every parse returns a reason
/// instead of throwing, so discovery can skip a device with a message and carry on with the next.
/// </remarks>
internal sealed class UacceSysfsDirectory(string path)
{
    /// <summary>The class device directory.</summary>
    public string Path { get; } = path;

    /// <summary>Reads <paramref name="attribute"/> (trailing newline removed).</summary>
    /// <param name="attribute">The attribute name, or a relative path such as <c>device/numa_node</c> (never looked up under <c>attrs/</c>).</param>
    /// <param name="value">The text, when the attribute exists and could be read.</param>
    /// <param name="error">Why an existing attribute could not be read; null when it is simply absent.</param>
    public bool TryRead(string attribute, out string? value, out string? error)
    {
        value = null;
        error = null;
        foreach (string candidate in Candidates(attribute))
        {
            // A directory in an attribute's place is malformed, not absent: report it rather than fall through.
            if (!File.Exists(candidate) && !Directory.Exists(candidate))
                continue;
            try
            {
                value = File.ReadAllText(candidate).TrimEnd('\n', '\r', ' ', '\t', '\0');
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                error = $"{attribute}: unreadable ({e.Message})";
                return false;
            }
        }
        return false;
    }

    private IEnumerable<string> Candidates(string attribute)
    {
        if (!attribute.Contains('/', StringComparison.Ordinal))
            yield return System.IO.Path.Combine(Path, "attrs", attribute);
        yield return System.IO.Path.Combine(Path, attribute);
    }

    /// <summary>A required text attribute: absent, unreadable or empty gives a reason.</summary>
    public string? ReadRequiredText(string attribute, out string? reason)
    {
        if (!TryRead(attribute, out var text, out var error))
        {
            reason = error ?? $"{attribute}: missing";
            return null;
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            reason = $"{attribute}: empty";
            return null;
        }
        reason = null;
        return text.Trim();
    }

    /// <summary>A required unsigned decimal (<c>%u</c>, <c>%lu</c>) no larger than <paramref name="max"/>.</summary>
    public ulong? ReadRequiredUnsigned(string attribute, ulong max, out string? reason)
    {
        string? text = ReadRequiredText(attribute, out reason);
        if (text is null)
            return null;
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value) || value > max)
        {
            reason = $"{attribute}: \"{Shorten(text)}\" is not an unsigned integer up to {max}";
            return null;
        }
        return value;
    }

    /// <summary>An optional signed decimal (<c>%d</c>). Absent gives null and no reason; present but malformed gives a reason.</summary>
    public int? ReadOptionalInt(string attribute, out string? reason)
    {
        reason = null;
        if (!TryRead(attribute, out var text, out var error))
        {
            reason = error;
            return null;
        }
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
                CultureInfo.InvariantCulture, out int value))
        {
            reason = $"{attribute}: \"{Shorten(text!)}\" is not an integer";
            return null;
        }
        return value;
    }

    /// <summary>Keeps a garbage value readable in a one-line reason.</summary>
    private static string Shorten(string text) => text.Length <= 32 ? text : string.Concat(text.AsSpan(0, 32), "…");
}
