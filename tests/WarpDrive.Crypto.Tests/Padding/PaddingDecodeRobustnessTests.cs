using System.Security.Cryptography;
using WarpDrive.Crypto.Padding;
using WarpDrive.Crypto.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Crypto.Tests.Padding;

/// <summary>Decoding arbitrary blocks never throws or reads out of range: it reports a bad block, and accepts exactly the encoder's output.</summary>
public sealed class PaddingDecodeRobustnessTests
{
    public static TheoryData<string> Paddings => new() { "Pkcs1", "OaepSHA1", "OaepSHA256", "OaepSHA512" };

    private static RSAEncryptionPadding Of(string name) => name switch
    {
        "Pkcs1" => RSAEncryptionPadding.Pkcs1,
        "OaepSHA1" => RSAEncryptionPadding.OaepSHA1,
        "OaepSHA256" => RSAEncryptionPadding.OaepSHA256,
        _ => RSAEncryptionPadding.OaepSHA512,
    };

    [Theory]
    [MemberData(nameof(Paddings))]
    public void Random_and_mutated_blocks_decode_to_false_or_a_message_inside_the_block(string name)
    {
        var padding = Of(name);
        var random = new Random(42);
        foreach (int k in new[] { 64, 128, 129, 256 })
        {
            for (int i = 0; i < 300; i++)
            {
                var em = new byte[k];
                random.NextBytes(em);
                if (i % 3 == 0)
                {
                    em[0] = 0;
                    em[1] = 2;
                }
                if (RsaPadding.TryDecodeEncryption(em, padding, out int offset, out int length))
                {
                    Assert.InRange(offset, 0, k);
                    Assert.InRange(length, 0, k - offset);
                }
            }
            if (RsaPadding.MaxPlaintext(k, padding) < 0)
                continue;
            var message = RsaKeys.RandomBytes(Math.Min(5, RsaPadding.MaxPlaintext(k, padding)));
            var block = new byte[k];
            RsaPadding.EncodeEncryption(message, block, padding);
            Assert.True(RsaPadding.TryDecodeEncryption(block, padding, out int o, out int l));
            Assert.Equal(message, block.AsSpan(o, l).ToArray());
        }
    }
}
