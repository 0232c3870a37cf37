using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using WarpDrive.Crypto;
using WarpDrive.Crypto.Tls;

namespace HttpsReverseProxy.Tls;

/// <summary>
/// One connection's BouncyCastle TLS 1.2 server: ECDHE_RSA and RSA key exchange with AES-GCM (and ChaCha20-Poly1305
/// for ECDHE), ALPN h2 (with ECDHE) and http/1.1, the handshake's RSA private operation on WarpDrive (or BouncyCastle's own engine).
/// </summary>
internal sealed class ProxyTlsServer(BcTlsCrypto crypto, Certificate chain, PemCredentials credentials, RsaChoice rsa, KeyExchangeChoice keyExchange, WarpDriveRsaCore core)
    : DefaultTlsServer(crypto)
{
    private static readonly int[] s_ecdhe =
    [
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    private static readonly int[] s_rsa =
    [
        CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
    ];

    /// <summary>The suite the handshake chose.</summary>
    public int NegotiatedCipherSuite => m_context.SecurityParameters.CipherSuite;

    /// <summary>The ALPN protocol agreed on (empty when the client offered none).</summary>
    public ReadOnlyMemory<byte> NegotiatedProtocol => m_context.SecurityParameters.ApplicationProtocol?.GetBytes() ?? [];

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.TLSv12.Only();

    protected override int[] GetSupportedCipherSuites() => keyExchange switch
    {
        KeyExchangeChoice.Ecdhe => s_ecdhe,
        KeyExchangeChoice.Rsa => s_rsa,
        _ => [.. s_ecdhe, .. s_rsa],
    };

    protected override IList<ProtocolName> GetProtocolNames() => [ProtocolName.Http_2_Tls, ProtocolName.Http_1_1];

    // ALPN is chosen after the suite: HTTP/2 forbids the RSA key exchange (RFC 9113 §9.2.2), so h2 only with ECDHE.
    protected override bool ShouldSelectProtocolNameEarly() => false;

    protected override ProtocolName SelectProtocolName(IList<ProtocolName> clientProtocolNames, IList<ProtocolName> serverProtocolNames) =>
        base.SelectProtocolName(clientProtocolNames, s_ecdhe.Contains(m_selectedCipherSuite) ? serverProtocolNames : [ProtocolName.Http_1_1]);

    protected override TlsCredentialedSigner GetRsaSignerCredentials()
    {
        var clientAlgorithms = m_context.SecurityParameters.ClientSigAlgs;
        if (rsa == RsaChoice.WarpDrive)
            return WarpDriveTlsSignerCredentials.Create(m_context, clientAlgorithms, Chain(), credentials.PrivateKey, core);
        // BouncyCastle's own signer, with the pair chosen as ours is (the client's first that an RSA key makes).
        var pair = (clientAlgorithms ?? TlsUtilities.GetDefaultSignatureAlgorithms(SignatureAlgorithm.rsa))
            .FirstOrDefault(a => a.Signature == SignatureAlgorithm.rsa || SignatureScheme.IsRsaPss(SignatureScheme.From(a)) && a.Signature <= SignatureAlgorithm.rsa_pss_rsae_sha512)
            ?? throw new TlsFatalAlert(AlertDescription.handshake_failure);
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), crypto, credentials.PrivateKey, Chain(), pair);
    }

    protected override TlsCredentialedDecryptor GetRsaEncryptionCredentials() => rsa == RsaChoice.WarpDrive
        ? new WarpDriveTlsEncryptionCredentials(crypto, Chain(), credentials.PrivateKey, core)
        : new BcDefaultTlsCredentialedDecryptor(crypto, Chain(), credentials.PrivateKey);

    private Certificate Chain() => chain;
}
