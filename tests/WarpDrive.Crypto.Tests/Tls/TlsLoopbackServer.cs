using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;
using WarpDrive.Crypto.Tests.Infrastructure;
using WarpDrive.Crypto.Tls;
using BcCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;

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
        _key = TestKeys.Get(2048, 7);
        using var rsa = RSA.Create();
        rsa.ImportParameters(_key);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _listener.Start();
    }

    public int[] CipherSuites { get; }

    public WarpDriveRsaCore Core { get; }

    public X509Certificate2 Certificate { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int SelectedCipherSuite { get; private set; } = -1;

    /// <summary>Accepts one client, handshakes, echoes one line; the task faults with the server's error.</summary>
    public Task ServeOneAsync() => Task.Run(async () =>
    {
        using var socket = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
        socket.ReceiveTimeout = socket.SendTimeout = 30_000;
        var stream = socket.GetStream();
        var protocol = new TlsServerProtocol(stream, new SecureRandom());
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

    private sealed class Server(TlsLoopbackServer owner) : DefaultTlsServer
    {
        public int Selected => mSelectedCipherSuite;

        protected override ProtocolVersion MaximumVersion => ProtocolVersion.TLSv12;

        protected override ProtocolVersion MinimumVersion => ProtocolVersion.TLSv12;

        protected override int[] GetCipherSuites() => owner.CipherSuites;

        private BcCertificate Chain() =>
            new([X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(owner.Certificate.RawData))]);

        protected override TlsSignerCredentials GetRsaSignerCredentials() =>
            WarpDriveTlsSignerCredentials.Create(mContext, mSupportedSignatureAlgorithms, Chain(), TestKeys.BcPrivate(owner._key), owner.Core);

        protected override TlsEncryptionCredentials GetRsaEncryptionCredentials() =>
            new WarpDriveTlsEncryptionCredentials(mContext, Chain(), TestKeys.BcPrivate(owner._key), owner.Core);
    }
}
