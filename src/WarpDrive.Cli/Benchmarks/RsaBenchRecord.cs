using System.Text.Json.Serialization;

using WarpDrive.Crypto;

namespace WarpDrive.Cli.Benchmarks;

/// <summary>One measured cell of <see cref="RsaBenchmark"/>: a system doing one operation with one key size and thread count.</summary>
/// <param name="System"><c>warpdrive</c>, <c>RsaBlindedEngine</c> or <c>DotNetRSA</c>.</param>
/// <param name="Operation"><c>private</c> or <c>public</c>.</param>
/// <param name="KeyBits">Modulus size in bits.</param>
/// <param name="Threads">Threads running the operation concurrently.</param>
/// <param name="OpsPerSecond">Operations per second, all threads together.</param>
public sealed record RsaBenchRecord(
    [property: JsonPropertyName("system")] string System,
    [property: JsonPropertyName("operation")] string Operation,
    [property: JsonPropertyName("key_bits")] int KeyBits,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("ops_per_s")] double OpsPerSecond);

/// <summary>The records' JSON shape, generated at build time.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(IReadOnlyList<RsaBenchRecord>))]
internal sealed partial class RsaBenchJson : JsonSerializerContext;
