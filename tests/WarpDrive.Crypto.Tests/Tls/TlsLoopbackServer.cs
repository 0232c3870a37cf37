using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using WarpDrive.Crypto.Tests.Infrastructure;
using WarpDrive.Crypto.Tls;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Crypto.Tests.Tls;

/// <summary>
/// A BouncyCastle TLS 1.2 server on a loopback TcpListener whose RSA credentials are WarpDrive's: it accepts one
/// connection, completes the handshake, echoes one line back, and records what it negotiated.
/// </summary>
internal sealed class TlsLoopbackServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly RSAParameters _key;

    public TlsLoopbackServer(int[] cipherSuites, WarpDriveRsaCore core)
    {
        CipherSuites = cipherSuites;
        Core = core;
        _key = RsaKeys.Get(2048, 7);
        Certificate = TestChains.SelfSigned(_key);
        _listener.Start();
    }

    public int[] CipherSuites { get; }

    public WarpDriveRsaCore Core { get; }

    public X509Certificate2 Certificate { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int SelectedCipherSuite { get; private set; } = -1;

    /// <summary>The pair the ServerKeyExchange was signed with, when one was.</summary>
    public SignatureAndHashAlgorithm? SignedWith { get; private set; }

    /// <summary>Accepts one client, handshakes, echoes one line; the task faults with the server's error.</summary>
    public Task ServeOneAsync() => Task.Run(async () =>
    {
        using var socket = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
        socket.ReceiveTimeout = socket.SendTimeout = 30_000;
        var protocol = new TlsServerProtocol(socket.GetStream());
        var server = new Server(this);
        protocol.Accept(server);
        SelectedCipherSuite = server.Selected;
        var buffer = new byte[256];
        int n = protocol.Stream.Read(buffer, 0, buffer.Length);
        protocol.Stream.Write(buffer, 0, n);
        protocol.Stream.Flush();
        protocol.Close();
    });

    public void Dispose()
    {
        _listener.Stop();
        Certificate.Dispose();
    }

    private sealed class Server(TlsLoopbackServer owner) : DefaultTlsServer(new BcTlsCrypto(new SecureRandom()))
    {
        public int Selected => m_context.SecurityParameters.CipherSuite;

        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.TLSv12.Only();

        protected override int[] GetSupportedCipherSuites() => owner.CipherSuites;

        protected override TlsCredentialedSigner GetRsaSignerCredentials()
        {
            var credentials = WarpDriveTlsSignerCredentials.Create(m_context, m_context.SecurityParameters.ClientSigAlgs,
                TestChains.Chain(Crypto, owner.Certificate), BcKeys.BcPrivate(owner._key), owner.Core);
            owner.SignedWith = credentials.SignatureAndHashAlgorithm;
            return credentials;
        }

        protected override TlsCredentialedDecryptor GetRsaEncryptionCredentials() =>
            new WarpDriveTlsEncryptionCredentials(Crypto, TestChains.Chain(Crypto, owner.Certificate), BcKeys.BcPrivate(owner._key), owner.Core);
    }
}
