using Org.BouncyCastle.Crypto.Prng;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;

namespace WarpDrive.Crypto.Tests.Tls;

/// <summary>A server-side TLS context with just what credentials read: the versions and a random source.</summary>
internal sealed class FakeTlsContext(ProtocolVersion clientVersion) : TlsContext
{
    public IRandomGenerator NonceRandomGenerator { get; } = new DigestRandomGenerator(new Org.BouncyCastle.Crypto.Digests.Sha256Digest());
    public SecureRandom SecureRandom { get; } = new();
    public SecurityParameters SecurityParameters => null!;
    public bool IsServer => true;
    public ProtocolVersion ClientVersion { get; } = clientVersion;
    public ProtocolVersion ServerVersion => ProtocolVersion.TLSv12;
    public TlsSession ResumableSession => null!;
    public object UserObject { get; set; } = new();
    public byte[] ExportKeyingMaterial(string asciiLabel, byte[] contextValue, int length) => throw new NotSupportedException();
}
