using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Encodings;
using Org.BouncyCastle.Crypto.Signers;
using WarpDrive.Crypto.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Crypto.Tests;

/// <summary>Wrong lengths, inputs not below the modulus, corrupted ciphertexts and signatures, wrong key sizes: typed exceptions or false, never a wrong answer.</summary>
public sealed class BadInputTests
{
    private static readonly RSAParameters s_key = RsaKeys.Get(2048);

    [Fact]
    public void Unsupported_key_sizes_are_refused()
    {
        Assert.Throws<CryptographicException>(() => new WarpDriveRsa(256, TestPool.Shared));
        Assert.Throws<CryptographicException>(() => new WarpDriveRsa(16392, TestPool.Shared));
        Assert.Throws<CryptographicException>(() => new WarpDriveRsa(2047 + 2, TestPool.Shared)); // not a multiple of 8
        using var ours = new WarpDriveRsa(2048, TestPool.Shared);
        var small = new RSAParameters { Modulus = RsaKeys.RandomBytes(32), Exponent = [1, 0, 1] };
        small.Modulus[^1] |= 1;
        Assert.Throws<CryptographicException>(() => ours.ImportParameters(small));
        var even = s_key;
        even.Modulus = (byte[])s_key.Modulus!.Clone();
        even.Modulus[^1] &= 0xfe;
        Assert.Throws<CryptographicException>(() => ours.ImportParameters(even));
        var engine = new WarpDriveRsaEngine(TestPool.Shared);
        Assert.Throws<ArgumentException>(() => engine.Init(true, new Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters(false, BcKeys.Big(small.Modulus), BcKeys.Big([1, 0, 1]))));
    }

    [Fact]
    public void Engine_input_longer_than_or_not_below_the_modulus_is_a_DataLengthException()
    {
        var engine = new WarpDriveRsaEngine(TestPool.Shared);
        engine.Init(false, BcKeys.BcPrivate(s_key));
        Assert.Throws<DataLengthException>(() => engine.ProcessBlock(new byte[257], 0, 257));
        Assert.Throws<DataLengthException>(() => engine.ProcessBlock(s_key.Modulus!, 0, 256));
        var above = Enumerable.Repeat((byte)0xff, 256).ToArray();
        Assert.Throws<DataLengthException>(() => engine.ProcessBlock(above, 0, 256));
        Assert.Throws<DataLengthException>(() => engine.ProcessBlock(new byte[10], 5, 10));
        var core = new WarpDriveRsaCore(TestPool.Shared);
        core.Init(false, BcKeys.BcPrivate(s_key));
        Assert.Throws<DataLengthException>(() => core.ConvertInput(s_key.Modulus!, 0, 256));
        Assert.Throws<DataLengthException>(() => core.ProcessBlock(BcKeys.Big(s_key.Modulus!)));
    }

    [Fact]
    public void Ciphertexts_of_the_wrong_length_or_not_below_the_modulus_throw()
    {
        using var ours = new WarpDriveRsa(s_key, TestPool.Shared);
        Assert.Throws<CryptographicException>(() => ours.Decrypt(new byte[255], RSAEncryptionPadding.OaepSHA256));
        Assert.Throws<CryptographicException>(() => ours.Decrypt(new byte[257], RSAEncryptionPadding.OaepSHA256));
        Assert.Throws<CryptographicException>(() => ours.Decrypt(s_key.Modulus!, RSAEncryptionPadding.Pkcs1));
        Assert.Throws<CryptographicException>(() => ours.Decrypt(Enumerable.Repeat((byte)0xff, 256).ToArray(), RSAEncryptionPadding.Pkcs1));
    }

    [Theory]
    [InlineData("Pkcs1")]
    [InlineData("OaepSHA1")]
    [InlineData("OaepSHA256")]
    [InlineData("OaepSHA512")]
    public void Corrupted_ciphertexts_throw_CryptographicException(string padding)
    {
        var pad = padding switch
        {
            "Pkcs1" => RSAEncryptionPadding.Pkcs1,
            "OaepSHA1" => RSAEncryptionPadding.OaepSHA1,
            "OaepSHA256" => RSAEncryptionPadding.OaepSHA256,
            _ => RSAEncryptionPadding.OaepSHA512,
        };
        using var ours = new WarpDriveRsa(s_key, TestPool.Shared);
        var ciphertext = ours.Encrypt(RsaKeys.RandomBytes(16), pad);
        for (int i = 0; i < 4; i++)
        {
            var bad = (byte[])ciphertext.Clone();
            bad[10 + 50 * i] ^= 0x40;
            Assert.Throws<CryptographicException>(() => ours.Decrypt(bad, pad));
        }
        // Decrypting with the other padding is a padding error too.
        var other = pad == RSAEncryptionPadding.Pkcs1 ? RSAEncryptionPadding.OaepSHA1 : RSAEncryptionPadding.Pkcs1;
        Assert.Throws<CryptographicException>(() => ours.Decrypt(ciphertext, other));
    }

    [Theory]
    [InlineData("Pkcs1")]
    [InlineData("Pss")]
    public void Corrupted_or_mismatched_signatures_do_not_verify(string padding)
    {
        var pad = padding == "Pss" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        using var ours = new WarpDriveRsa(s_key, TestPool.Shared);
        var data = RsaKeys.RandomBytes(50);
        var signature = ours.SignData(data, HashAlgorithmName.SHA256, pad);
        Assert.True(ours.VerifyData(data, signature, HashAlgorithmName.SHA256, pad));
        for (int i = 0; i < 8; i++)
        {
            var bad = (byte[])signature.Clone();
            bad[i * 31] ^= (byte)(1 << i);
            Assert.False(ours.VerifyData(data, bad, HashAlgorithmName.SHA256, pad));
        }
        Assert.False(ours.VerifyData(data, signature[1..], HashAlgorithmName.SHA256, pad));
        Assert.False(ours.VerifyData(data, (byte[])[.. signature, 0], HashAlgorithmName.SHA256, pad));
        Assert.False(ours.VerifyData(data, s_key.Modulus!, HashAlgorithmName.SHA256, pad));
        Assert.False(ours.VerifyData((byte[])[.. data, 1], signature, HashAlgorithmName.SHA256, pad));
        Assert.False(ours.VerifyData(data, signature, HashAlgorithmName.SHA384, pad));
        Assert.False(ours.VerifyHash(new byte[31], signature, HashAlgorithmName.SHA256, pad));
    }

    [Fact]
    public void Hashes_of_the_wrong_length_and_keys_too_small_for_the_padding_throw_on_signing()
    {
        using var ours = new WarpDriveRsa(s_key, TestPool.Shared);
        Assert.Throws<CryptographicException>(() => ours.SignHash(new byte[31], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Throws<CryptographicException>(() => ours.SignHash(new byte[33], HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        Assert.Throws<CryptographicException>(() => ours.SignHash(new byte[32], new HashAlgorithmName("WHIRLPOOL"), RSASignaturePadding.Pkcs1));
        using var tiny = new WarpDriveRsa(512, TestPool.Shared);
        Assert.Throws<CryptographicException>(() => tiny.SignHash(new byte[64], HashAlgorithmName.SHA512, RSASignaturePadding.Pss));
        Assert.Throws<CryptographicException>(() => tiny.Encrypt(new byte[1], RSAEncryptionPadding.OaepSHA512));
    }

    [Fact]
    public void BouncyCastle_encodings_reject_corrupted_blocks_with_InvalidCipherTextException()
    {
        var oaep = new OaepEncoding(new WarpDriveRsaEngine(TestPool.Shared), new Sha256Digest());
        oaep.Init(true, BcKeys.BcPublic(s_key));
        var ciphertext = oaep.ProcessBlock([1, 2, 3], 0, 3);
        ciphertext[100] ^= 1;
        oaep.Init(false, BcKeys.BcPrivate(s_key));
        Assert.Throws<InvalidCipherTextException>(() => oaep.ProcessBlock(ciphertext, 0, ciphertext.Length));

        var pss = new PssSigner(new WarpDriveRsaEngine(TestPool.Shared), new Sha256Digest());
        pss.Init(true, BcKeys.BcPrivate(s_key));
        pss.BlockUpdate([1], 0, 1);
        var signature = pss.GenerateSignature();
        signature[7] ^= 0x10;
        pss.Init(false, BcKeys.BcPublic(s_key));
        pss.BlockUpdate([1], 0, 1);
        Assert.False(pss.VerifySignature(signature));
    }
}
