namespace WarpDrive.Devices.Uacce;

/// <summary>A device discovery left out, and why (isolated, or an attribute missing or malformed).</summary>
/// <param name="Name">The class device name, e.g. <c>hisi_zip-1</c>.</param>
/// <param name="Reason">What was wrong, in words, e.g. <c>flags: "abc" is not an unsigned integer</c>.</param>
public readonly record struct UacceDiscoveryDiagnostic(string Name, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Reason}";
}
