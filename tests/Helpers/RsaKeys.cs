using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace WarpDrive.Tests.Helpers;

/// <summary>
/// RSA keys for tests, made by the platform's generator (fast) and cached per size and index, so a 4096-bit key
/// is generated once per run.
/// </summary>
internal static class RsaKeys
{
    private static readonly ConcurrentDictionary<(int Bits, int Index), RSAParameters> s_keys = new();

    /// <summary>The <paramref name="index"/>-th cached key of <paramref name="bits"/> bits.</summary>
    public static RSAParameters Get(int bits, int index = 0) =>
        s_keys.GetOrAdd((bits, index), static k =>
        {
            using var rsa = RSA.Create(k.Bits);
            return rsa.ExportParameters(includePrivateParameters: true);
        });

    /// <summary>A .NET <see cref="RSA"/> holding <paramref name="p"/> (or only its public part).</summary>
    public static RSA DotNet(in RSAParameters p, bool includePrivate = true)
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(includePrivate ? p : new RSAParameters { Modulus = p.Modulus, Exponent = p.Exponent });
        return rsa;
    }

    /// <summary><paramref name="length"/> random bytes.</summary>
    public static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        RandomNumberGenerator.Fill(bytes);
        return bytes;
    }
}
