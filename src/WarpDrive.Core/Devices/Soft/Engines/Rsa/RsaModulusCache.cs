namespace WarpDrive.Devices.Soft.Engines.Rsa;

/// <summary>
/// The moduli a thread exponentiated with last, each as an <see cref="RsaModulusContext"/>, as OpenSSL's own RSA
/// object caches its modulus context: without it every operation sets one up again, about a sixth of an RSA-2048
/// public operation and a quarter of an RSA-4096 one. The soft engine sees only the bytes of a request, so the
/// cache is keyed by them. A modulus is public, so nothing needs clearing; a few are kept per thread, so a verifier
/// that alternates between the keys of a certificate chain still finds each. A context dropped from the cache frees
/// its native numbers in its finalizer.
/// </summary>
internal static class RsaModulusCache
{
    private const int Capacity = 4;

    [ThreadStatic]
    private static (byte[] Bytes, RsaModulusContext Context)[]? t_entries;

    [ThreadStatic]
    private static int t_next;

    /// <summary>This thread's context for <paramref name="modulus"/> (big-endian); null for an even or zero one.</summary>
    public static RsaModulusContext? For(ReadOnlySpan<byte> modulus)
    {
        var entries = t_entries ??= new (byte[], RsaModulusContext)[Capacity];
        foreach (var (bytes, context) in entries)
        {
            if (bytes is not null && modulus.SequenceEqual(bytes))
                return context;
        }
        var created = RsaModulusContext.Create(modulus);
        if (created is null)
            return null;
        // Round-robin replacement: the keys in use come round again, the oldest one is the one to go.
        entries[t_next] = (modulus.ToArray(), created);
        t_next = (t_next + 1) % Capacity;
        return created;
    }
}
