using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace HttpsReverseProxy.Tls;

/// <summary>
/// X25519 on OpenSSL's libcrypto (<c>libcrypto.so.3</c>, through its EVP interface): a key pair from 32 random bytes,
/// and the shared secret with a peer's public value. BouncyCastle's managed X25519 was about a tenth of the proxy's
/// CPU per ECDHE handshake (`perf record`); libcrypto's keygen and derive take about half its time.
/// </summary>
internal static partial class LibCryptoX25519
{
    public const int KeySize = 32;

    private const string Library = "libcrypto.so.3";
    private const int X25519Type = 1034; // EVP_PKEY_X25519 (NID_X25519)

    private static readonly Lazy<bool> s_available = new(SelfTest);

    /// <summary>True when libcrypto loads and computes RFC 7748's test vector (section 6.1).</summary>
    public static bool IsAvailable => s_available.Value;

    /// <summary>A key from <paramref name="privateKey"/>; its public value goes to <paramref name="publicKey"/>.</summary>
    public static KeyHandle CreateKey(ReadOnlySpan<byte> privateKey, Span<byte> publicKey)
    {
        var key = NewRawPrivateKey(X25519Type, 0, privateKey, KeySize);
        if (key.IsInvalid)
            throw new InvalidOperationException("libcrypto refused an X25519 private key.");
        nuint length = KeySize;
        if (GetRawPublicKey(key, publicKey, ref length) != 1 || length != KeySize)
        {
            key.Dispose();
            throw new InvalidOperationException("libcrypto gave no X25519 public value.");
        }
        return key;
    }

    /// <summary>
    /// The shared secret of <paramref name="key"/> and <paramref name="peerPublic"/> into <paramref name="secret"/>;
    /// false when there is none (libcrypto refuses a peer value whose result is all zeros, a small-order point).
    /// </summary>
    public static bool TryDerive(KeyHandle key, ReadOnlySpan<byte> peerPublic, Span<byte> secret)
    {
        using var peer = NewRawPublicKey(X25519Type, 0, peerPublic, KeySize);
        if (peer.IsInvalid)
            return false;
        nint context = NewContext(key, 0);
        if (context == 0)
            return false;
        try
        {
            nuint length = KeySize;
            return DeriveInit(context) == 1 && DeriveSetPeer(context, peer) == 1 && Derive(context, secret, ref length) == 1 && length == KeySize;
        }
        finally
        {
            FreeContext(context);
        }
    }

    private static bool SelfTest()
    {
        try
        {
            var alice = Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
            var bobPublic = Convert.FromHexString("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
            var expected = Convert.FromHexString("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
            Span<byte> alicePublic = stackalloc byte[KeySize], secret = stackalloc byte[KeySize];
            using var key = CreateKey(alice, alicePublic);
            return TryDerive(key, bobPublic, secret) && secret.SequenceEqual(expected)
                && alicePublic.SequenceEqual(Convert.FromHexString("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>An <c>EVP_PKEY</c>, freed with the handle (a handshake that stops halfway leaves it to the finalizer).</summary>
    internal sealed class KeyHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
    {
        protected override bool ReleaseHandle()
        {
            FreeKey(handle);
            return true;
        }
    }

    [LibraryImport(Library, EntryPoint = "EVP_PKEY_new_raw_private_key")]
    private static partial KeyHandle NewRawPrivateKey(int type, nint engine, ReadOnlySpan<byte> key, nuint length);

    [LibraryImport(Library, EntryPoint = "EVP_PKEY_new_raw_public_key")]
    private static partial KeyHandle NewRawPublicKey(int type, nint engine, ReadOnlySpan<byte> key, nuint length);

    [LibraryImport(Library, EntryPoint = "EVP_PKEY_get_raw_public_key")]
    private static partial int GetRawPublicKey(KeyHandle key, Span<byte> publicKey, ref nuint length);

    [LibraryImport(Library, EntryPoint = "EVP_PKEY_CTX_new")]
    private static partial nint NewContext(KeyHandle key, nint engine);

    [LibraryImport(Library, EntryPoint = "EVP_PKEY_derive_init")]
    private static partial int DeriveInit(nint context);

    [LibraryImport(Library, EntryPoint = "EVP_PKEY_derive_set_peer")]
    private static partial int DeriveSetPeer(nint context, KeyHandle peer);

    [LibraryImport(Library, EntryPoint = "EVP_PKEY_derive")]
    private static partial int Derive(nint context, Span<byte> secret, ref nuint length);

    [LibraryImport(Library, EntryPoint = "EVP_PKEY_CTX_free")]
    private static partial void FreeContext(nint context);

    [LibraryImport(Library, EntryPoint = "EVP_PKEY_free")]
    private static partial void FreeKey(nint key);
}
