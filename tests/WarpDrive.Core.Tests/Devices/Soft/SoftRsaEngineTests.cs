using System.Numerics;
using System.Security.Cryptography;
using WarpDrive.Drivers.Qm;
using WarpDrive.Scheduling;

namespace WarpDrive.Tests.Devices.Soft;

/// <summary>The soft engine's HPRE requests compute RSA as the spec lays keys out, CRT and not.</summary>
public sealed class SoftRsaEngineTests : IDisposable
{
    private readonly AcceleratorPool _pool = new(new WarpDriveOptions { SoftEngine = new() { WorkerCount = 2, Sva = false } });

    public void Dispose() => _pool.Dispose();

    [Theory]
    [InlineData(1024)]
    [InlineData(2048)]
    [InlineData(1536)]
    public void Private_operation_with_and_without_crt_agree_and_the_public_operation_inverts_it(int bits)
    {
        using var rsa = RSA.Create(bits);
        var p = rsa.ExportParameters(includePrivateParameters: true);
        int ksz = bits / 8;
        var message = new byte[ksz];
        RandomNumberGenerator.Fill(message.AsSpan(1));

        var nonCrt = Run(HpreAlgorithm.RsaNonCrt, ksz, [.. Pad(p.D!, ksz), .. Pad(p.Modulus!, ksz)], message);
        var crt = Run(HpreAlgorithm.RsaCrt, ksz, [.. Pad(p.DQ!, ksz / 2), .. Pad(p.DP!, ksz / 2), .. Pad(p.Q!, ksz / 2), .. Pad(p.P!, ksz / 2), .. Pad(p.InverseQ!, ksz / 2)], message);
        Assert.Equal(nonCrt, crt);

        var back = Run(HpreAlgorithm.RsaNonCrt, ksz, [.. Pad(p.Exponent!, ksz), .. Pad(p.Modulus!, ksz)], crt);
        Assert.Equal(message, back);

        var expected = BigInteger.ModPow(new BigInteger(message, true, true), new BigInteger(p.D!, true, true), new BigInteger(p.Modulus!, true, true));
        Assert.Equal(expected, new BigInteger(crt, true, true));
    }

    [Fact]
    public void A_message_not_below_the_modulus_is_an_error_status()
    {
        using var rsa = RSA.Create(1024);
        var p = rsa.ExportParameters(true);
        var request = Request(HpreAlgorithm.RsaNonCrt, 128, [.. Pad(p.Exponent!, 128), .. Pad(p.Modulus!, 128)], Enumerable.Repeat((byte)0xff, 128).ToArray(), new byte[128]);
        _pool.Run(request);
        Assert.False(request.Succeeded);
        Assert.NotEqual(0, new HpreSqe(request.Sqe).ErrorType);
    }

    private byte[] Run(HpreAlgorithm algorithm, int ksz, byte[] key, byte[] input)
    {
        var output = new byte[ksz];
        var request = Request(algorithm, ksz, key, input, output);
        _pool.Run(request);
        Assert.True(request.Succeeded);
        return output;
    }

    private static AcceleratorRequest Request(HpreAlgorithm algorithm, int ksz, byte[] key, byte[] input, byte[] output)
    {
        var request = new AcceleratorRequest("rsa");
        _ = new HpreSqe(request.Sqe) { Algorithm = algorithm, KeyBytes = ksz, Done = 1 };
        request.AttachBuffer(HpreSqe.KeyAddressOffset, key, BufferAccess.Read);
        request.AttachBuffer(HpreSqe.InputAddressOffset, input, BufferAccess.Read);
        request.AttachBuffer(HpreSqe.OutputAddressOffset, output, BufferAccess.Write);
        return request;
    }

    private static byte[] Pad(byte[] value, int width)
    {
        var result = new byte[width];
        value.CopyTo(result, width - value.Length);
        return result;
    }
}
