namespace HttpsReverseProxy;

/// <summary>Where the proxy's RSA runs: WarpDrive's engine, or BouncyCastle's own (for comparison).</summary>
internal enum RsaChoice
{
    WarpDrive,
    BouncyCastle,
}

/// <summary>Who terminates TLS: BouncyCastle over Kestrel's connection pipe, or Kestrel's own HTTPS (SslStream, OpenSSL).</summary>
internal enum TlsChoice
{
    BouncyCastle,
    Kestrel,
}

/// <summary>How responses are gzipped: through WarpDrive, ASP.NET Core's GzipCompressionProvider, or not at all.</summary>
internal enum CompressionChoice
{
    WarpDrive,
    Builtin,
    None,
}

/// <summary>Which TLS 1.2 key exchanges the BouncyCastle server offers: both, or one (to measure each).</summary>
internal enum KeyExchangeChoice
{
    Any,
    Ecdhe,
    Rsa,
}

/// <summary>
/// The proxy's settings, section "Proxy" of appsettings.json, environment variables (<c>Proxy__Listen</c>) and the
/// command line (<c>--listen</c>, <c>--upstream</c>, <c>--rsa</c>... map to the same keys).
/// </summary>
internal sealed class ProxyOptions
{
    /// <summary>The address and port to listen on, e.g. <c>127.0.0.1:8443</c> (port 0: any free port).</summary>
    public string Listen { get; set; } = "127.0.0.1:8443";

    /// <summary>Upstream base URLs, balanced round-robin; <c>--upstream</c> takes a comma-separated list.</summary>
    public string Upstream { get; set; } = "";

    /// <summary>The certificate chain, PEM.</summary>
    public string Certificate { get; set; } = "cert.pem";

    /// <summary>The certificate's RSA private key, PEM (PKCS #1 or PKCS #8).</summary>
    public string Key { get; set; } = "key.pem";

    public RsaChoice Rsa { get; set; } = RsaChoice.WarpDrive;

    public TlsChoice Tls { get; set; } = TlsChoice.BouncyCastle;

    public CompressionChoice Compression { get; set; } = CompressionChoice.WarpDrive;

    public KeyExchangeChoice KeyExchange { get; set; } = KeyExchangeChoice.Any;

    /// <summary>Start the built-in demo upstream on a free loopback port and forward to it.</summary>
    public bool DemoUpstream { get; set; }

    /// <summary>How long the upstream may take to answer before the client gets 504.</summary>
    public TimeSpan UpstreamTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a client may take to complete its TLS handshake.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the statistics line is logged.</summary>
    public TimeSpan StatisticsInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The upstream URLs as a list.</summary>
    public IReadOnlyList<string> UpstreamUrls =>
        Upstream.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
