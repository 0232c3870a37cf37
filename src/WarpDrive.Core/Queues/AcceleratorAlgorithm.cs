namespace WarpDrive.Queues;

/// <summary>
/// An algorithm a device serves, by the name uacce gives it in sysfs (<c>algorithms</c>): typed, so that a request,
/// the queue it goes to and the device behind speak of the same thing, and the format of its requests is decided
/// once. The algorithms WarpDrive drives are the static members; a device may advertise others.
/// </summary>
public readonly record struct AcceleratorAlgorithm
{
    private readonly string? _name;

    /// <summary>An algorithm by its uacce name.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public AcceleratorAlgorithm(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _name = name;
    }

    /// <summary>Raw deflate (RFC 1951) on a ZIP device.</summary>
    public static AcceleratorAlgorithm Deflate { get; } = new("deflate");

    /// <summary>zlib (RFC 1950) on a ZIP device.</summary>
    public static AcceleratorAlgorithm Zlib { get; } = new("zlib");

    /// <summary>gzip (RFC 1952) on a ZIP device.</summary>
    public static AcceleratorAlgorithm Gzip { get; } = new("gzip");

    /// <summary>RSA on an HPRE device.</summary>
    public static AcceleratorAlgorithm Rsa { get; } = new("rsa");

    /// <summary>Diffie–Hellman on an HPRE device.</summary>
    public static AcceleratorAlgorithm Dh { get; } = new("dh");

    /// <summary>The soft engine's request that does nothing (ZIP-format SQEs), for measuring the queue itself.</summary>
    public static AcceleratorAlgorithm Nop { get; } = new("nop");

    /// <summary>The kernel tier's <c>uacce_echo</c> test device (ZIP-format SQEs).</summary>
    public static AcceleratorAlgorithm Echo { get; } = new("echo");

    /// <summary>The uacce name, for example <c>gzip</c>.</summary>
    public string Name => _name ?? string.Empty;

    /// <summary>True for the HiSilicon HPRE family (64-byte SQEs); false for ZIP's (128-byte SQEs).</summary>
    public bool IsHpre => Name is "rsa" or "dh";

    /// <summary>The algorithm named <paramref name="name"/>.</summary>
    public static implicit operator AcceleratorAlgorithm(string name) => new(name);

    /// <summary>The algorithm named <paramref name="name"/> (the named form of the conversion).</summary>
    public static AcceleratorAlgorithm FromName(string name) => new(name);

    /// <inheritdoc />
    public override string ToString() => Name;
}
