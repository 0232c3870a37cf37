using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using WarpDrive.Devices.Soft;
using WarpDrive.Scheduling;

using WarpDrive.Crypto;

namespace WarpDrive.Cli.Benchmarks;

/// <summary>
/// The side-by-side RSA report behind <c>warpdrive bench rsa</c>: WarpDrive (<see cref="WarpDriveRsaEngine"/>
/// through the pool: blinded, checked private operations, and public ones), BouncyCastle's
/// <c>RsaBlindedEngine</c>, and .NET's <see cref="RSA"/> (<c>SignHash</c>/<c>VerifyHash</c> with PKCS #1, as raw as
/// its API allows), for RSA-2048 and RSA-4096, private and public operations, on 1 and 2 threads — all in one run.
/// </summary>
/// <example>
/// <code>
/// var records = RsaBenchmark.Run(quick: true, Console.Error);
/// RsaBenchmark.WriteTable(records, Console.Out);
/// File.WriteAllText("rsa.json", RsaBenchmark.ToJson(records));
/// </code>
/// </example>
public static class RsaBenchmark
{
    /// <summary>The systems measured, as the records name them.</summary>
    public static IReadOnlyList<string> Systems { get; } = ["warpdrive", "RsaBlindedEngine", "DotNetRSA"];


    /// <summary>
    /// Measures every cell. <paramref name="quick"/> measures each for about a second (the whole run well under
    /// 60 s); otherwise three seconds each. Progress lines go to <paramref name="progress"/>.
    /// </summary>
    /// <param name="quick">Short measurements.</param>
    /// <param name="progress">Where each cell's result is reported as it finishes.</param>
    /// <param name="pool">The pool WarpDrive uses; the process-wide pool when null.</param>
    public static IReadOnlyList<RsaBenchRecord> Run(bool quick, TextWriter progress, AcceleratorPool? pool = null) =>
        Run(quick ? TimeSpan.FromSeconds(0.9) : TimeSpan.FromSeconds(3), quick ? TimeSpan.FromSeconds(0.2) : TimeSpan.FromSeconds(0.5),
            [2048, 4096], [1, 2], progress, pool);

    /// <summary>Measures every cell for <paramref name="duration"/> after <paramref name="warmup"/>, for the key sizes and thread counts given.</summary>
    public static IReadOnlyList<RsaBenchRecord> Run(TimeSpan duration, TimeSpan warmup, IReadOnlyList<int> keySizes, IReadOnlyList<int> threadCounts,
        TextWriter progress, AcceleratorPool? pool = null)
    {
        ArgumentNullException.ThrowIfNull(keySizes);
        ArgumentNullException.ThrowIfNull(threadCounts);
        ArgumentNullException.ThrowIfNull(progress);
        pool ??= WarpDriveAccelerator.Shared;
        progress.WriteLine($"rsa: soft engine arithmetic {SoftDevice.RsaImplementation}; devices {string.Join(", ", pool.Devices.Select(d => d.Name))}; {Environment.ProcessorCount} cores");
        var records = new List<RsaBenchRecord>();
        foreach (int bits in keySizes)
        {
            RSAParameters key;
            using (var generator = RSA.Create(bits))
                key = generator.ExportParameters(includePrivateParameters: true);
            foreach (string operation in (ReadOnlySpan<string>)["private", "public"])
            {
                foreach (int threads in threadCounts)
                {
                    foreach (string system in Systems)
                    {
                        double rate = Measure(system, operation == "private", key, threads, duration, warmup, pool);
                        var record = new RsaBenchRecord(system, operation, bits, threads, Math.Round(rate, 1));
                        records.Add(record);
                        progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"rsa {bits} {operation,-7} {threads} thread(s) {system,-16} {rate,10:F1} ops/s"));
                    }
                }
            }
        }
        return records;
    }

    /// <summary>The records as a JSON array of <c>{"system", "operation", "key_bits", "threads", "ops_per_s"}</c>.</summary>
    public static string ToJson(IReadOnlyList<RsaBenchRecord> records) => JsonSerializer.Serialize(records, RsaBenchJson.Default.IReadOnlyListRsaBenchRecord);

    /// <summary>Writes <see cref="ToJson"/>'s array to <paramref name="output"/>.</summary>
    public static void WriteJson(IReadOnlyList<RsaBenchRecord> records, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(ToJson(records));
    }

    /// <summary>Writes a table with WarpDrive's ratio to each peer per cell.</summary>
    public static void WriteTable(IReadOnlyList<RsaBenchRecord> records, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine("key   op       thr  warpdrive  RsaBlindedEngine  DotNetRSA   wd/BC    wd/.NET");
        foreach (var cell in records.GroupBy(r => (r.KeyBits, r.Operation, r.Threads)))
        {
            double Rate(string system) => cell.FirstOrDefault(r => r.System == system)?.OpsPerSecond ?? double.NaN;
            double wd = Rate("warpdrive"), bc = Rate("RsaBlindedEngine"), net = Rate("DotNetRSA");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{cell.Key.KeyBits,-5} {cell.Key.Operation,-8} {cell.Key.Threads,3} {wd,10:F0} {bc,17:F0} {net,10:F0} {wd / bc,7:F1}x {wd / net,8:F2}x"));
        }
    }

    private static double Measure(string system, bool isPrivate, RSAParameters key, int threads, TimeSpan duration, TimeSpan warmup, AcceleratorPool pool)
    {
        var operations = new Func<long, int>[threads];
        var disposables = new List<IDisposable>();
        for (int t = 0; t < threads; t++)
            operations[t] = Create(system, isPrivate, key, pool, disposables);
        try
        {
            var counts = new long[threads];
            using var start = new Barrier(threads + 1);
            long warmupTicks = (long)(warmup.TotalSeconds * Stopwatch.Frequency);
            long measureTicks = (long)(duration.TotalSeconds * Stopwatch.Frequency);
            long begin = 0;
            var workers = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                int id = t;
                workers[t] = new Thread(() =>
                {
                    var op = operations[id];
                    start.SignalAndWait();
                    long from = Volatile.Read(ref begin);
                    long i = 0;
                    while (Stopwatch.GetTimestamp() - from < warmupTicks)
                        op(i++);
                    long n = 0;
                    long measureFrom = Stopwatch.GetTimestamp();
                    while (Stopwatch.GetTimestamp() - measureFrom < measureTicks)
                    {
                        op(i++);
                        n++;
                    }
                    double seconds = (double)(Stopwatch.GetTimestamp() - measureFrom) / Stopwatch.Frequency;
                    counts[id] = (long)(n / seconds * 1000);
                })
                { IsBackground = true, Name = $"bench rsa {id}" };
                workers[t].Start();
            }
            Volatile.Write(ref begin, Stopwatch.GetTimestamp());
            start.SignalAndWait();
            foreach (var w in workers)
                w.Join();
            return counts.Sum() / 1000.0;
        }
        finally
        {
            foreach (var d in disposables)
                d.Dispose();
        }
    }

    /// <summary>One thread's operation: takes an iteration number, returns something so the work is not elided.</summary>
    private static Func<long, int> Create(string system, bool isPrivate, RSAParameters key, AcceleratorPool pool, List<IDisposable> disposables)
    {
        int k = key.Modulus!.Length;
        // Inputs below the modulus: a top byte below the modulus's.
        var inputs = new byte[16][];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = RandomNumberGenerator.GetBytes(k);
            inputs[i][0] = (byte)(key.Modulus[0] >> 1);
        }
        var hash = SHA256.HashData(inputs[0]);
        switch (system)
        {
            case "warpdrive":
            case "RsaBlindedEngine":
            {
                IAsymmetricBlockCipher engine = system == "warpdrive" ? new WarpDriveRsaEngine(pool) : new RsaBlindedEngine();
                var priv = new RsaPrivateCrtKeyParameters(Big(key.Modulus), Big(key.Exponent!), Big(key.D!), Big(key.P!), Big(key.Q!),
                    Big(key.DP!), Big(key.DQ!), Big(key.InverseQ!));
                if (isPrivate)
                {
                    engine.Init(false, priv);
                    return i => engine.ProcessBlock(inputs[i & 15], 0, k).Length;
                }
                // Public operations on real signatures, as a verifier sees them.
                engine.Init(false, priv);
                var signatures = inputs.Select(x => engine.ProcessBlock(x, 0, k)).ToArray();
                engine.Init(false, new RsaKeyParameters(false, Big(key.Modulus), Big(key.Exponent!)));
                return i => engine.ProcessBlock(signatures[i & 15], 0, signatures[i & 15].Length).Length;
            }
            case "DotNetRSA":
            {
                var rsa = RSA.Create();
                rsa.ImportParameters(key);
                disposables.Add(rsa);
                if (isPrivate)
                    return i => rsa.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).Length;
                var signature = rsa.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                return i => rsa.VerifyHash(hash, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1) ? 1 : 0;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(system), system, "Unknown system.");
        }
    }

    private static BcBigInteger Big(byte[] bytes) => new(1, bytes);
}
