using System.Buffers;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>
/// A seeded mutation fuzzer: valid streams from WarpDrive and .NET, mutated (bit flips, byte sets, cuts,
/// duplications, insertions), fed to the streams and the one-shot decoders. Only InvalidDataException may come out,
/// every call returns (no hang), and nothing decodes to more than the bound it was given.
/// </summary>
public sealed class MutationFuzzTests
{
    private const int CasesPerSeed = 12_500;

    public static TheoryData<string, int> Seeds()
    {
        var data = new TheoryData<string, int>();
        foreach (var format in new[] { "gzip", "zlib", "deflate" })
        {
            data.Add(format, 1);
            data.Add(format, 2);
        }
        data.Add("gzip", 3);
        data.Add("gzip", 4);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Mutated_streams_give_only_typed_exceptions(string format, int seed)
    {
        var random = new Random(seed * 7919 + format.Length);
        var small = new WarpDriveCompressionOptions { ChunkSize = 64 * 1024, IndependentBlockSize = 64 * 1024, ParallelDecompression = seed % 2 == 0 };
        var seeds = new List<byte[]>();
        foreach (int size in new[] { 0, 1, 300, 5_000, 140_000 })
        {
            var input = Corpus.Mixed(size);
            seeds.Add(Streams.Compress(format, input, 1 + (size % 9), small));
            seeds.Add(Streams.CompressWithDotNet(format, input));
        }
        seeds.RemoveAll(s => s.Length == 0);
        var output = new byte[300_000];
        int invalid = 0;
        for (int i = 0; i < CasesPerSeed; i++)
        {
            var source = seeds[random.Next(seeds.Count)];
            var mutated = Mutate(source, random);
            try
            {
                if (i % 4 == 3)
                {
                    OneShot(format, mutated, output);
                }
                else
                {
                    using var stream = Streams.WarpDriveReader(format, new MemoryStream(mutated), small);
                    int total = 0, n;
                    while ((n = stream.Read(output, total % 200_000, 100_000)) > 0)
                    {
                        total += n;
                        Assert.True(total < 50_000_000, "decoded without end");
                    }
                }
            }
            catch (InvalidDataException)
            {
                invalid++;
            }
        }
        Assert.True(invalid > CasesPerSeed / 4, $"only {invalid} of {CasesPerSeed} mutations were rejected");
    }

    private static void OneShot(string format, byte[] data, byte[] output)
    {
        bool fits = format switch
        {
            "gzip" => WarpDriveGZipDecoder.TryDecompress(data, output, out _),
            "zlib" => WarpDriveZLibDecoder.TryDecompress(data, output, out _),
            _ => WarpDriveDeflateDecoder.TryDecompress(data, output, out _),
        };
        _ = fits;
        using IDisposable decoder = format switch
        {
            "gzip" => new WarpDriveGZipDecoder(),
            "zlib" => new WarpDriveZLibDecoder(),
            _ => new WarpDriveDeflateDecoder(),
        };
        var status = decoder switch
        {
            WarpDriveGZipDecoder g => g.Decompress(data, output, out _, out _),
            WarpDriveZLibDecoder z => z.Decompress(data, output, out _, out _),
            WarpDriveDeflateDecoder d => d.Decompress(data, output, out _, out _),
            _ => OperationStatus.InvalidData,
        };
        Assert.True(Enum.IsDefined(status));
    }

    private static byte[] Mutate(byte[] source, Random random)
    {
        var data = new List<byte>(source);
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits && data.Count > 0; e++)
        {
            int at = random.Next(data.Count);
            switch (random.Next(6))
            {
                case 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    data[at] = (byte)random.Next(256);
                    break;
                case 2:
                    data.RemoveRange(at, data.Count - at); // cut
                    break;
                case 3:
                    int from = random.Next(data.Count);
                    data.InsertRange(at, data.GetRange(from, Math.Min(16, data.Count - from)));
                    break;
                case 4:
                    data.Insert(at, (byte)random.Next(256));
                    break;
                default:
                    // Interesting values in header-sized places: lengths and flags.
                    data[Math.Min(at, Math.Min(data.Count - 1, 24))] = (byte)(random.Next(2) == 0 ? 0xff : 0);
                    break;
            }
        }
        return [.. data];
    }
}
