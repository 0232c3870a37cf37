using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace WarpDrive.Crypto.Tests.Tls;

/// <summary>A server-side TLS context with just what credentials read: the negotiated versions and the crypto.</summary>
internal sealed class FakeTlsContext(ProtocolVersion version) : TlsServerContext
{
    public BcTlsCrypto BcCrypto { get; } = new(new SecureRandom());
    public TlsCrypto Crypto => BcCrypto;
    public TlsNonceGenerator NonceGenerator => throw new NotSupportedException();
    public SecurityParameters SecurityParameters => null!;
    public bool IsServer => true;
    public ProtocolVersion[] ClientSupportedVersions => [version];
    public ProtocolVersion ClientVersion => version;
    public ProtocolVersion RsaPreMasterSecretVersion => version;
    public ProtocolVersion ServerVersion => version;
    public TlsSession ResumableSession => null!;
    public TlsSession Session => null!;
    public object UserObject { get; set; } = new();
    public byte[] ExportChannelBinding(int channelBinding) => throw new NotSupportedException();
    public byte[] ExportEarlyKeyingMaterial(string asciiLabel, byte[] context_value, int length) => throw new NotSupportedException();
    public byte[] ExportKeyingMaterial(string asciiLabel, byte[] context_value, int length) => throw new NotSupportedException();
}
