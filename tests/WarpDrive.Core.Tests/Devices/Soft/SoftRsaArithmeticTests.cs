using System.Numerics;
using System.Security.Cryptography;
using WarpDrive.Devices.Soft.Engines.Rsa;
using WarpDrive.Interop;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Tests.Devices.Soft;

/// <summary>
/// The soft engine's RSA arithmetic: libcrypto (constant-time) when it loads, and the managed fallback, agree with
/// each other and with BigInteger.ModPow, for CRT and plain exponentiation, and reject what the device rejects.
/// </summary>
public sealed class SoftRsaArithmeticTests
{
    [Fact]
    public void The_implementation_in_use_is_the_systems_libcrypto_and_reports_its_version()
    {
        // Judged from outside WarpDrive: the library the loader finds and the version the openssl command reports.
        Assert.SkipWhen(Environment.GetEnvironmentVariable("WARPDRIVE_RSA_MANAGED") is not null, "the managed arithmetic is forced");
        Assert.SkipUnless(System.Runtime.InteropServices.NativeLibrary.TryLoad("libcrypto.so.3", out _), "no libcrypto.so.3 on this machine");
        Assert.StartsWith("OpenSSL libcrypto 3.", RsaSoftware.Implementation, StringComparison.Ordinal);
        Assert.True(RsaSoftware.IsConstantTime);
        using var openssl = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("openssl", "version") { RedirectStandardOutput = true })!;
        // "OpenSSL 3.0.19 27 Jan 2026 (Library: OpenSSL 3.0.19 27 Jan 2026)": the library's version is the one loaded.
        var said = System.Text.RegularExpressions.Regex.Match(openssl.StandardOutput.ReadToEnd(), @"^OpenSSL (\S+).*?(?:Library: OpenSSL (\S+))?");
        openssl.WaitForExit();
        string version = said.Groups[2].Success ? said.Groups[2].Value : said.Groups[1].Value;
        Assert.Equal("OpenSSL libcrypto " + version, RsaSoftware.Implementation);
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(1536)]
    [InlineData(2048)]
    public void OpenSsl_and_managed_agree_with_ModPow(int bits)
    {
        var p = RsaKeys.Get(bits);
        int k = bits / 8, half = k / 2;
        var n = new BigInteger(p.Modulus, true, true);
        var d = new BigInteger(p.D, true, true);
        for (int i = 0; i < 3; i++)
        {
            var input = RsaKeys.RandomBytes(k);
            input[0] &= 0x3f;
            var expected = BigInteger.ModPow(new BigInteger(input, true, true), d, n);

            var managed = new byte[k];
            Assert.True(RsaManaged.TryCrt(input, Pad(p.DQ!, half), Pad(p.DP!, half), Pad(p.Q!, half), Pad(p.P!, half), Pad(p.InverseQ!, half), managed));
            Assert.Equal(expected, new BigInteger(managed, true, true));
            var managedPlain = new byte[k];
            Assert.True(RsaManaged.TryModExp(input, Pad(p.D!, k), Pad(p.Modulus!, k), managedPlain, secretExponent: true));
            Assert.Equal(managed, managedPlain);

            var back = new byte[k];
            Assert.True(RsaManaged.TryModExp(managed, Pad(p.Exponent!, k), Pad(p.Modulus!, k), back, secretExponent: false));
            Assert.Equal(input, back);

            if (!LibCrypto.IsAvailable)
                continue;
            var openSsl = new byte[k];
            Assert.True(OpenSslRsa.TryCrt(input, Pad(p.DQ!, half), Pad(p.DP!, half), Pad(p.Q!, half), Pad(p.P!, half), Pad(p.InverseQ!, half), openSsl));
            Assert.Equal(managed, openSsl);
            var openSslPlain = new byte[k];
            Assert.True(OpenSslRsa.TryModExp(input, Pad(p.D!, k), Pad(p.Modulus!, k), openSslPlain, secretExponent: true));
            Assert.Equal(managed, openSslPlain);
            Assert.True(OpenSslRsa.TryModExp(openSsl, Pad(p.Exponent!, k), Pad(p.Modulus!, k), back, secretExponent: false));
            Assert.Equal(input, back);
        }
    }

    [Fact]
    public void Inputs_not_below_the_modulus_and_even_moduli_are_rejected_by_both()
    {
        var p = RsaKeys.Get(1024);
        var n = Pad(p.Modulus!, 128);
        var e = Pad(p.Exponent!, 128);
        var output = new byte[128];
        Assert.False(RsaManaged.TryModExp(n, e, n, output, false));
        var even = (byte[])n.Clone();
        even[^1] &= 0xfe;
        var one = new byte[128];
        one[^1] = 1;
        Assert.False(RsaManaged.TryModExp(one, e, even, output, false));
        var half = 64;
        Assert.False(RsaManaged.TryCrt(n, Pad(p.DQ!, half), Pad(p.DP!, half), Pad(p.Q!, half), Pad(p.P!, half), Pad(p.InverseQ!, half), output));
        if (!LibCrypto.IsAvailable)
            return;
        Assert.False(OpenSslRsa.TryModExp(n, e, n, output, false));
        Assert.False(OpenSslRsa.TryModExp(one, e, even, output, false));
        Assert.False(OpenSslRsa.TryCrt(n, Pad(p.DQ!, half), Pad(p.DP!, half), Pad(p.Q!, half), Pad(p.P!, half), Pad(p.InverseQ!, half), output));
    }

    [Fact]
    public void Exponentiation_stays_right_when_a_thread_cycles_through_more_moduli_than_it_keeps()
    {
        if (!LibCrypto.IsAvailable)
            return;
        // Six keys against a cache of four: every turn evicts one that comes back later, on the same thread.
        var keys = Enumerable.Range(0, 6).Select(_ =>
        {
            using var rsa = RSA.Create(1024);
            return rsa.ExportParameters(true);
        }).ToArray();
        for (int round = 0; round < 3; round++)
        {
            foreach (var key in keys)
            {
                var input = RsaKeys.RandomBytes(128);
                input[0] &= 0x3f;
                var n = new BigInteger(key.Modulus, true, true);
                var output = new byte[128];
                Assert.True(OpenSslRsa.TryModExp(input, key.Exponent, key.Modulus, output, secretExponent: false));
                Assert.Equal(BigInteger.ModPow(new BigInteger(input, true, true), new BigInteger(key.Exponent, true, true), n), new BigInteger(output, true, true));
                Assert.True(OpenSslRsa.TryModExp(input, key.D, key.Modulus, output, secretExponent: true));
                Assert.Equal(BigInteger.ModPow(new BigInteger(input, true, true), new BigInteger(key.D, true, true), n), new BigInteger(output, true, true));
            }
        }
    }

    [Fact]
    public void Modular_inverses_agree_and_a_shared_factor_has_none()
    {
        var p = RsaKeys.Get(1024);
        var n = Pad(p.Modulus!, 128);
        var a = RsaKeys.RandomBytes(128);
        a[0] &= 0x3f;
        var managed = new byte[128];
        Assert.True(RsaManaged.TryModInverse(a, n, managed));
        var product = new BigInteger(a, true, true) * new BigInteger(managed, true, true) % new BigInteger(n, true, true);
        Assert.Equal(BigInteger.One, product);
        Assert.False(RsaManaged.TryModInverse(Pad(p.P!, 128), n, managed));
        if (!LibCrypto.IsAvailable)
            return;
        var openSsl = new byte[128];
        Assert.True(OpenSslRsa.TryModInverse(a, n, openSsl, secret: true));
        Assert.True(RsaManaged.TryModInverse(a, n, managed));
        Assert.Equal(managed, openSsl);
        Assert.True(OpenSslRsa.TryModInverse(a, n, openSsl, secret: false));
        Assert.Equal(managed, openSsl);
        Assert.False(OpenSslRsa.TryModInverse(Pad(p.P!, 128), n, openSsl, secret: true));
        var product2 = new byte[128];
        Assert.True(OpenSslRsa.TryModMul(a, managed, n, product2));
        Assert.Equal(BigInteger.One, new BigInteger(product2, true, true));
        Assert.True(RsaManaged.TryModMul(a, managed, n, product2));
        Assert.Equal(BigInteger.One, new BigInteger(product2, true, true));
    }

    [Fact]
    public void Concurrent_threads_get_correct_results_from_libcrypto()
    {
        var p = RsaKeys.Get(1024);
        int half = 64;
        var dq = Pad(p.DQ!, half); var dp = Pad(p.DP!, half); var q = Pad(p.Q!, half); var pp = Pad(p.P!, half); var qi = Pad(p.InverseQ!, half);
        var n = new BigInteger(p.Modulus, true, true);
        var d = new BigInteger(p.D, true, true);
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var input = RsaKeys.RandomBytes(128);
            input[0] &= 0x3f;
            var output = new byte[128];
            Assert.True(RsaSoftware.TryCrt(input, dq, dp, q, pp, qi, output));
            Assert.Equal(BigInteger.ModPow(new BigInteger(input, true, true), d, n), new BigInteger(output, true, true));
        });
    }

    [Fact]
    public void Secret_and_public_exponents_are_told_apart_by_width()
    {
        Assert.Equal(17, RsaSoftware.SignificantBits([0, 0, 1, 0, 1]));
        Assert.Equal(0, RsaSoftware.SignificantBits([0, 0]));
        Assert.Equal(64, RsaSoftware.PublicExponentMaxBits);
    }

    private static byte[] Pad(byte[] value, int width)
    {
        var result = new byte[width];
        value.CopyTo(result, width - value.Length);
        return result;
    }
}
