using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace HttpsReverseProxy.Tls;

/// <summary>
/// BouncyCastle's TLS crypto with the X25519 key exchange on libcrypto where it loads (<see cref="LibCryptoX25519"/>),
/// for every RSA choice alike: the comparison between RSA engines stays about RSA. Thread-safe, as its base is.
/// </summary>
internal sealed class ProxyTlsCrypto(SecureRandom random) : BcTlsCrypto(random)
{
    public override TlsECDomain CreateECDomain(TlsECConfig ecConfig) =>
        ecConfig.NamedGroup == NamedGroup.x25519 && LibCryptoX25519.IsAvailable ? new Domain(this) : base.CreateECDomain(ecConfig);

    private sealed class Domain(ProxyTlsCrypto crypto) : TlsECDomain
    {
        public TlsAgreement CreateECDH() => new Agreement(crypto);
    }

    /// <summary>One handshake's ephemeral X25519 agreement.</summary>
    private sealed class Agreement(ProxyTlsCrypto crypto) : TlsAgreement
    {
        private LibCryptoX25519.KeyHandle? _key;
        private readonly byte[] _peer = new byte[LibCryptoX25519.KeySize];

        public byte[] GenerateEphemeral()
        {
            Span<byte> privateKey = stackalloc byte[LibCryptoX25519.KeySize];
            crypto.SecureRandom.NextBytes(privateKey);
            var publicKey = new byte[LibCryptoX25519.KeySize];
            _key?.Dispose();
            _key = LibCryptoX25519.CreateKey(privateKey, publicKey);
            privateKey.Clear();
            return publicKey;
        }

        public void ReceivePeerValue(byte[] peerValue)
        {
            if (peerValue is not { Length: LibCryptoX25519.KeySize })
                throw new TlsFatalAlert(AlertDescription.illegal_parameter);
            peerValue.CopyTo(_peer, 0);
        }

        public TlsSecret CalculateSecret()
        {
            var key = _key ?? throw new TlsFatalAlert(AlertDescription.internal_error);
            var secret = new byte[LibCryptoX25519.KeySize];
            try
            {
                if (!LibCryptoX25519.TryDerive(key, _peer, secret))
                    throw new TlsFatalAlert(AlertDescription.handshake_failure);
                return crypto.CreateSecret(secret);
            }
            finally
            {
                Array.Clear(secret);
                Array.Clear(_peer);
                key.Dispose();
                _key = null;
            }
        }
    }
}
