using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using WarpDrive.Crypto.Tests.Infrastructure;
using WarpDrive.Devices.Soft;
using WarpDrive.Tests;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Crypto.Tests;

/// <summary>
/// Every private result is checked whatever the key's shape: CRT keys (with their public exponent), (n, d) keys
/// without it (whose e is found at import), and (n, d) keys with an unusual e (checked by a second computation). Under corrupt results at 100 % and at random rates the results stay right and every fault counts.
/// </summary>
public sealed class KeyShapeCheckTests : IDisposable
{
    private readonly WarpDrive.Scheduling.AcceleratorPool _pool = TestPool.Create();
    private readonly RSAParameters _key = RsaKeys.Get(2048);

    public void Dispose() => _pool.Dispose();

    public static TheoryData<string, double> Shapes() => new()
    {
        { "crt", 1.0 }, { "crt", 0.5 },
        { "d-without-e", 1.0 }, { "d-without-e", 0.5 },
        { "unusual-e", 1.0 }, { "unusual-e", 0.5 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Private_results_are_right_under_corrupt_results_and_every_fault_counts(string shape, double rate)
    {
        var key = Key(shape);
        var reference = new RsaEngine();
        reference.Init(false, key);
        var engine = new WarpDriveRsaEngine(_pool);
        engine.Init(false, key);
        var random = new Random(3);
        _pool.SoftEngine().Faults.SetRate(SoftFault.CorruptResult, rate, seed: 5);
        for (int i = 0; i < 20; i++)
        {
            var input = new byte[255];
            random.NextBytes(input);
            input[0] &= 0x7f;
            Assert.Equal(reference.ProcessBlock(input, 0, input.Length), engine.ProcessBlock(input, 0, input.Length));
        }
        int fired = _pool.SoftEngine().Faults.Fired(SoftFault.CorruptResult);
        _pool.SoftEngine().Faults.Clear();
        Assert.True(fired > 0);
        Assert.Equal(fired, engine.Statistics.FaultsDetected);
    }

    private RsaKeyParameters Key(string shape)
    {
        var n = new BigInteger(1, _key.Modulus);
        var d = new BigInteger(1, _key.D);
        switch (shape)
        {
            case "crt":
                return BcKeys.BcPrivate(_key);
            case "d-without-e":
                return new RsaKeyParameters(true, n, d);
            default:
                // e = 65539, d its inverse modulo lcm(p - 1, q - 1): a valid key no usual exponent fits.
                var p = new BigInteger(1, _key.P);
                var q = new BigInteger(1, _key.Q);
                var p1 = p.Subtract(BigInteger.One);
                var q1 = q.Subtract(BigInteger.One);
                var lcm = p1.Multiply(q1).Divide(p1.Gcd(q1));
                var e = BigInteger.ValueOf(65539);
                return new RsaKeyParameters(true, n, e.ModInverse(lcm));
        }
    }
}
