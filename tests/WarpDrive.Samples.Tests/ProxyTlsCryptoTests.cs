using HttpsReverseProxy.Tls;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace WarpDrive.Samples.Tests;

/// <summary>The proxy's X25519 on libcrypto agrees with BouncyCastle's own, and refuses what BouncyCastle refuses.</summary>
public sealed class ProxyTlsCryptoTests
{
    private static readonly TlsECConfig X25519 = new(NamedGroup.x25519);

    [Fact]
    public void Its_x25519_reaches_the_secret_bouncycastles_reaches()
    {
        Assert.True(LibCryptoX25519.IsAvailable, "libcrypto.so.3 did not load or failed RFC 7748's vector");
        var ours = new ProxyTlsCrypto(new SecureRandom()).CreateECDomain(X25519).CreateECDH();
        var theirs = new BcTlsCrypto(new SecureRandom()).CreateECDomain(X25519).CreateECDH();
        Assert.IsNotType<BcX25519>(ours);
        for (int i = 0; i < 20; i++)
        {
            var ourPublic = ours.GenerateEphemeral();
            var theirPublic = theirs.GenerateEphemeral();
            ours.ReceivePeerValue(theirPublic);
            theirs.ReceivePeerValue(ourPublic);
            Assert.Equal(theirs.CalculateSecret().Extract(), ours.CalculateSecret().Extract());
        }
    }

    [Fact]
    public void A_small_order_peer_value_or_a_wrong_length_is_a_fatal_alert()
    {
        var ours = new ProxyTlsCrypto(new SecureRandom()).CreateECDomain(X25519).CreateECDH();
        ours.GenerateEphemeral();
        Assert.Equal(AlertDescription.illegal_parameter, Assert.Throws<TlsFatalAlert>(() => ours.ReceivePeerValue(new byte[31])).AlertDescription);
        ours.ReceivePeerValue(new byte[32]); // the point 0: every shared secret with it is all zeros
        Assert.Equal(AlertDescription.handshake_failure, Assert.Throws<TlsFatalAlert>(ours.CalculateSecret).AlertDescription);
    }
}
