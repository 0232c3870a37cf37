using System.Security.Cryptography;
using WarpDrive.Crypto.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Crypto.Tests;

/// <summary>WarpDriveRsa and .NET's RSA sign, verify, encrypt and decrypt for each other, over every padding and hash.</summary>
public sealed class DotNetRsaCrossCheckTests
{
    public static TheoryData<int, int> Keys => new()
    {
        { 1024, 0 }, { 1536, 0 }, { 2048, 0 }, { 2048, 1 }, { 3072, 0 }, { 4096, 0 },
    };

    public static TheoryData<string, string> SignaturePaddings => new()
    {
        { "Pkcs1", "SHA1" }, { "Pkcs1", "SHA256" }, { "Pkcs1", "SHA384" }, { "Pkcs1", "SHA512" },
        { "Pss", "SHA1" }, { "Pss", "SHA256" }, { "Pss", "SHA384" }, { "Pss", "SHA512" },
    };

    public static TheoryData<string> EncryptionPaddings => new() { "Pkcs1", "OaepSHA1", "OaepSHA256", "OaepSHA384", "OaepSHA512" };

    private static RSASignaturePadding Signature(string name) => name == "Pss" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;

    private static RSAEncryptionPadding Encryption(string name) => name switch
    {
        "Pkcs1" => RSAEncryptionPadding.Pkcs1,
        "OaepSHA1" => RSAEncryptionPadding.OaepSHA1,
        "OaepSHA256" => RSAEncryptionPadding.OaepSHA256,
        "OaepSHA384" => RSAEncryptionPadding.OaepSHA384,
        _ => RSAEncryptionPadding.OaepSHA512,
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void Signatures_and_ciphertexts_cross_verify_for_each_key_size(int bits, int index)
    {
        var p = RsaKeys.Get(bits, index);
        using var ours = new WarpDriveRsa(p, TestPool.Shared);
        using var theirs = RsaKeys.DotNet(p);
        var data = RsaKeys.RandomBytes(1000);
        foreach (var padding in new[] { RSASignaturePadding.Pkcs1, RSASignaturePadding.Pss })
        {
            var signature = ours.SignData(data, HashAlgorithmName.SHA256, padding);
            Assert.True(theirs.VerifyData(data, signature, HashAlgorithmName.SHA256, padding));
            var reverse = theirs.SignData(data, HashAlgorithmName.SHA256, padding);
            Assert.True(ours.VerifyData(data, reverse, HashAlgorithmName.SHA256, padding));
        }
        var message = RsaKeys.RandomBytes(32);
        Assert.Equal(message, theirs.Decrypt(ours.Encrypt(message, RSAEncryptionPadding.OaepSHA256), RSAEncryptionPadding.OaepSHA256));
        Assert.Equal(message, ours.Decrypt(theirs.Encrypt(message, RSAEncryptionPadding.Pkcs1), RSAEncryptionPadding.Pkcs1));
    }

    [Theory]
    [MemberData(nameof(SignaturePaddings))]
    public void Every_signature_padding_and_hash_verifies_both_ways(string padding, string hash)
    {
        var p = RsaKeys.Get(2048, 1);
        using var ours = new WarpDriveRsa(p, TestPool.Shared);
        using var theirs = RsaKeys.DotNet(p);
        var name = new HashAlgorithmName(hash);
        for (int i = 0; i < 3; i++)
        {
            var data = RsaKeys.RandomBytes(17 * i + 1);
            var signature = ours.SignData(data, name, Signature(padding));
            Assert.True(theirs.VerifyData(data, signature, name, Signature(padding)));
            Assert.True(ours.VerifyData(data, signature, name, Signature(padding)));
            Assert.True(ours.VerifyData(data, theirs.SignData(data, name, Signature(padding)), name, Signature(padding)));
        }
        if (padding == "Pkcs1")
        {
            // Deterministic: byte-identical to .NET's.
            var hashed = CryptographicOperations.HashData(name, new byte[] { 1, 2, 3 });
            Assert.Equal(theirs.SignHash(hashed, name, RSASignaturePadding.Pkcs1), ours.SignHash(hashed, name, RSASignaturePadding.Pkcs1));
        }
    }

    [Theory]
    [MemberData(nameof(EncryptionPaddings))]
    public void Every_encryption_padding_decrypts_both_ways_up_to_the_longest_message(string padding)
    {
        var p = RsaKeys.Get(2048, 1);
        using var ours = new WarpDriveRsa(p, TestPool.Shared);
        using var theirs = RsaKeys.DotNet(p);
        var pad = Encryption(padding);
        int max = pad.Mode == RSAEncryptionPaddingMode.Pkcs1 ? 256 - 11 : 256 - 2 * (pad.OaepHashAlgorithm.Name switch { "SHA1" => 20, "SHA256" => 32, "SHA384" => 48, _ => 64 }) - 2;
        foreach (int length in new[] { 0, 1, max / 2, max })
        {
            var message = RsaKeys.RandomBytes(length);
            Assert.Equal(message, theirs.Decrypt(ours.Encrypt(message, pad), pad));
            Assert.Equal(message, ours.Decrypt(theirs.Encrypt(message, pad), pad));
            Assert.Equal(message, ours.Decrypt(ours.Encrypt(message, pad), pad));
        }
        Assert.Throws<CryptographicException>(() => ours.Encrypt(new byte[max + 1], pad));
    }

    [Fact]
    public void Span_overloads_write_into_the_destination_and_report_short_buffers()
    {
        var p = RsaKeys.Get(2048);
        using var ours = new WarpDriveRsa(p, TestPool.Shared);
        using var theirs = RsaKeys.DotNet(p);
        var hash = SHA256.HashData([9, 9, 9]);
        Assert.False(ours.TrySignHash(hash, new byte[255], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, out int written));
        Assert.Equal(0, written);
        var destination = new byte[300];
        Assert.True(ours.TrySignHash(hash, destination, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, out written));
        Assert.Equal(256, written);
        Assert.True(theirs.VerifyHash(hash, destination.AsSpan(0, written), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        Assert.True(ours.TryEncrypt([1, 2, 3], destination, RSAEncryptionPadding.OaepSHA384, out written));
        Assert.Equal(256, written);
        var ciphertext = destination[..written];
        Assert.False(ours.TryDecrypt(ciphertext, new byte[2], RSAEncryptionPadding.OaepSHA384, out written));
        Assert.True(ours.TryDecrypt(ciphertext, destination, RSAEncryptionPadding.OaepSHA384, out written));
        Assert.Equal([1, 2, 3], destination[..written]);
    }

    [Fact]
    public void A_generated_key_has_the_requested_size_and_works()
    {
        using var ours = new WarpDriveRsa(1024, TestPool.Shared);
        Assert.Equal(1024, ours.KeySize);
        byte[] data = [1];
        var signature = ours.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        using var theirs = RsaKeys.DotNet(ours.ExportParameters(false), includePrivate: false);
        Assert.True(theirs.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        Assert.Equal(1, ours.Statistics.PrivateOperations);
        Assert.Equal("soft-0", ours.Statistics.LastServedBy);
    }
}
