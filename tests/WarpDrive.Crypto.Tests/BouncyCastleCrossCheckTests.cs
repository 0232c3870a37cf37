using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Encodings;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Signers;
using WarpDrive.Crypto.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Crypto.Tests;

/// <summary>
/// WarpDriveRsaEngine under BouncyCastle's encodings and signers interoperates both ways with BouncyCastle's own
/// RsaBlindedEngine and with .NET's RSA, for every key size class.
/// </summary>
public sealed class BouncyCastleCrossCheckTests
{
    public static TheoryData<int, int> Keys => new()
    {
        { 1024, 0 }, { 1024, 1 }, { 1536, 0 }, { 2048, 0 }, { 2048, 1 }, { 2048, 2 }, { 3072, 0 }, { 4096, 0 },
    };

    private static WarpDriveRsaEngine Engine() => new(TestPool.Shared);

    [Theory]
    [MemberData(nameof(Keys))]
    public void Pss_signatures_verify_with_BouncyCastle_and_dotnet_and_the_reverse(int bits, int index)
    {
        var p = RsaKeys.Get(bits, index);
        var message = RsaKeys.RandomBytes(100 + index);

        var signer = new PssSigner(Engine(), new Sha256Digest());
        signer.Init(true, BcKeys.BcPrivate(p));
        signer.BlockUpdate(message, 0, message.Length);
        var signature = signer.GenerateSignature();

        var bcVerifier = new PssSigner(new RsaBlindedEngine(), new Sha256Digest());
        bcVerifier.Init(false, BcKeys.BcPublic(p));
        bcVerifier.BlockUpdate(message, 0, message.Length);
        Assert.True(bcVerifier.VerifySignature(signature));
        using var dotnet = RsaKeys.DotNet(p);
        Assert.True(dotnet.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));

        var theirs = dotnet.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        var verifier = new PssSigner(Engine(), new Sha256Digest());
        verifier.Init(false, BcKeys.BcPublic(p));
        verifier.BlockUpdate(message, 0, message.Length);
        Assert.True(verifier.VerifySignature(theirs));
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Pkcs1_digest_signatures_match_BouncyCastle_and_dotnet_byte_for_byte(int bits, int index)
    {
        var p = RsaKeys.Get(bits, index);
        var message = RsaKeys.RandomBytes(77);

        var signer = new RsaDigestSigner(Engine(), new Sha256Digest(), new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdSha256, Org.BouncyCastle.Asn1.DerNull.Instance));
        signer.Init(true, BcKeys.BcPrivate(p));
        signer.BlockUpdate(message, 0, message.Length);
        var signature = signer.GenerateSignature();

        var reference = new RsaDigestSigner(new Sha256Digest());
        reference.Init(true, BcKeys.BcPrivate(p));
        reference.BlockUpdate(message, 0, message.Length);
        Assert.Equal(reference.GenerateSignature(), signature);

        using var dotnet = RsaKeys.DotNet(p);
        Assert.Equal(dotnet.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), signature);

        var verifier = new RsaDigestSigner(Engine(), new Sha256Digest(), new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdSha256, Org.BouncyCastle.Asn1.DerNull.Instance));
        verifier.Init(false, BcKeys.BcPublic(p));
        verifier.BlockUpdate(message, 0, message.Length);
        Assert.True(verifier.VerifySignature(signature));
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Oaep_and_pkcs1_ciphertexts_decrypt_across_engines(int bits, int index)
    {
        var p = RsaKeys.Get(bits, index);
        using var dotnet = RsaKeys.DotNet(p);
        var message = RsaKeys.RandomBytes(20 + index);

        // WarpDrive encrypts (OAEP SHA-1, BouncyCastle's default), .NET and BouncyCastle decrypt.
        var oaep = new OaepEncoding(Engine());
        oaep.Init(true, BcKeys.BcPublic(p));
        var ciphertext = oaep.ProcessBlock(message, 0, message.Length);
        Assert.Equal(message, dotnet.Decrypt(ciphertext, RSAEncryptionPadding.OaepSHA1));
        var bcOaep = new OaepEncoding(new RsaBlindedEngine());
        bcOaep.Init(false, BcKeys.BcPrivate(p));
        Assert.Equal(message, bcOaep.ProcessBlock(ciphertext, 0, ciphertext.Length));

        // .NET encrypts with OAEP SHA-256, WarpDrive decrypts.
        var theirs = dotnet.Encrypt(message, RSAEncryptionPadding.OaepSHA256);
        var decoder = new OaepEncoding(Engine(), new Sha256Digest());
        decoder.Init(false, BcKeys.BcPrivate(p));
        Assert.Equal(message, decoder.ProcessBlock(theirs, 0, theirs.Length));

        // PKCS #1 v1.5 both ways.
        var pkcs1 = new Pkcs1Encoding(Engine());
        pkcs1.Init(true, BcKeys.BcPublic(p));
        var c1 = pkcs1.ProcessBlock(message, 0, message.Length);
        Assert.Equal(message, dotnet.Decrypt(c1, RSAEncryptionPadding.Pkcs1));
        var c2 = dotnet.Encrypt(message, RSAEncryptionPadding.Pkcs1);
        var pkcs1Decoder = new Pkcs1Encoding(Engine());
        pkcs1Decoder.Init(false, BcKeys.BcPrivate(p));
        Assert.Equal(message, pkcs1Decoder.ProcessBlock(c2, 0, c2.Length));
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(2048)]
    public void Raw_blocks_equal_RsaBlindedEngine_for_random_inputs(int bits)
    {
        var p = RsaKeys.Get(bits);
        var ours = Engine();
        var theirs = new RsaBlindedEngine();
        for (int i = 0; i < 8; i++)
        {
            var input = RsaKeys.RandomBytes(bits / 8);
            input[0] &= 0x7f;
            ours.Init(false, BcKeys.BcPrivate(p));
            theirs.Init(false, BcKeys.BcPrivate(p));
            var signature = ours.ProcessBlock(input, 0, input.Length);
            Assert.Equal(theirs.ProcessBlock(input, 0, input.Length), signature);

            ours.Init(true, BcKeys.BcPublic(p));
            theirs.Init(true, BcKeys.BcPublic(p));
            Assert.Equal(theirs.ProcessBlock(signature, 0, signature.Length), ours.ProcessBlock(signature, 0, signature.Length));
        }
    }

    [Fact]
    public void The_core_works_under_BouncyCastles_own_blinded_engine()
    {
        var p = RsaKeys.Get(2048);
        var core = new WarpDriveRsaCore(TestPool.Shared);
        var signer = new PssSigner(new RsaBlindedEngine(core), new Sha512Digest());
        signer.Init(true, BcKeys.BcPrivate(p));
        var message = RsaKeys.RandomBytes(10);
        signer.BlockUpdate(message, 0, message.Length);
        var signature = signer.GenerateSignature();
        using var dotnet = RsaKeys.DotNet(p);
        Assert.True(dotnet.VerifyData(message, signature, HashAlgorithmName.SHA512, RSASignaturePadding.Pss));
        Assert.Equal(1, core.Statistics.PrivateOperations);
        Assert.Equal("soft-0", core.Statistics.LastServedBy);
    }
}
