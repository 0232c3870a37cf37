using static WarpDrive.Interop.LibCrypto;

namespace WarpDrive.Codecs;

/// <summary>
/// The moduli a thread exponentiated with last, loaded into libcrypto numbers with their Montgomery contexts, as
/// OpenSSL's own RSA object caches its modulus context: without it every public operation sets one up again, about
/// a sixth of an RSA-2048 public operation and a quarter of an RSA-4096 one. A modulus is public, so nothing needs
/// clearing; a few are kept per thread, so a verifier that alternates between the keys of a certificate chain still
/// finds each. Freed with the thread.
/// </summary>
internal sealed class OpenSslModulusCache
{
    private const int Capacity = 4;

    [ThreadStatic]
    private static OpenSslModulusCache? t_cache;

    private readonly Modulus?[] _entries = new Modulus?[Capacity];
    private int _next;

    /// <summary>This thread's prepared <paramref name="modulus"/> (big-endian); null for an even or zero one.</summary>
    public static Modulus? For(ReadOnlySpan<byte> modulus, nint ctx)
    {
        var cache = t_cache ??= new OpenSslModulusCache();
        foreach (var entry in cache._entries)
        {
            if (entry is not null && modulus.SequenceEqual(entry.Bytes))
                return entry;
        }
        var loaded = Modulus.Load(modulus, ctx);
        if (loaded is null)
            return null;
        // Round-robin replacement: the keys in use come round again, the oldest one is the one to go.
        cache._entries[cache._next]?.Free();
        cache._entries[cache._next] = loaded;
        cache._next = (cache._next + 1) % Capacity;
        return loaded;
    }

    ~OpenSslModulusCache()
    {
        foreach (var entry in _entries)
            entry?.Free();
    }

    /// <summary>One modulus: its bytes, the number, and its Montgomery context.</summary>
    internal sealed class Modulus
    {
        private Modulus(byte[] bytes, nint n, nint mont)
        {
            Bytes = bytes;
            N = n;
            Mont = mont;
        }

        public byte[] Bytes { get; }
        public nint N { get; }
        public nint Mont { get; }

        public static Modulus? Load(ReadOnlySpan<byte> bytes, nint ctx)
        {
            nint n = BN_new();
            nint mont = BN_MONT_CTX_new();
            if (n != 0 && mont != 0 && OpenSslRsa.Load(bytes, n) && BN_is_odd(n) != 0 && BN_MONT_CTX_set(mont, n, ctx) == 1)
                return new Modulus(bytes.ToArray(), n, mont);
            if (mont != 0)
                BN_MONT_CTX_free(mont);
            if (n != 0)
                BN_free(n);
            return null;
        }

        public void Free()
        {
            BN_MONT_CTX_free(Mont);
            BN_free(N);
        }
    }
}
