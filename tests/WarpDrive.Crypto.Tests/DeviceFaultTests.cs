using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Encodings;
using Org.BouncyCastle.Crypto.Signers;
using WarpDrive.Crypto.Tests.Infrastructure;
using WarpDrive.Devices.Soft;
using WarpDrive.Tests;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Crypto.Tests;

/// <summary>A device that answers wrongly or with an error status never makes a wrong result leave the library.</summary>
public sealed class DeviceFaultTests : IDisposable
{
    private readonly WarpDrive.Scheduling.AcceleratorPool _pool = TestPool.Create();
    private readonly RSAParameters _key = RsaKeys.Get(2048);

    public void Dispose() => _pool.Dispose();

    [Fact]
    public void A_corrupted_private_result_is_caught_by_the_check_and_recomputed()
    {
        using var ours = new WarpDriveRsa(_key, _pool);
        using var theirs = RsaKeys.DotNet(_key);
        var hash = SHA256.HashData([1, 2, 3]);
        _pool.SoftEngine().Faults.Arm(SoftFault.CorruptResult);
        var signature = ours.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.Equal(1, _pool.SoftEngine().Faults.Fired(SoftFault.CorruptResult));
        Assert.Equal(1, ours.Statistics.FaultsDetected);
        Assert.Equal("software", ours.Statistics.LastServedBy);
        Assert.Equal(theirs.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), signature);
    }

    [Fact]
    public void A_corrupted_decryption_is_caught_before_unpadding()
    {
        var engine = new WarpDriveRsaEngine(_pool);
        var oaep = new OaepEncoding(engine, new Sha256Digest());
        oaep.Init(true, BcKeys.BcPublic(_key));
        var ciphertext = oaep.ProcessBlock([4, 5, 6], 0, 3);
        oaep.Init(false, BcKeys.BcPrivate(_key));
        _pool.SoftEngine().Faults.Arm(SoftFault.CorruptResult, 3);
        for (int i = 0; i < 3; i++)
            Assert.Equal([4, 5, 6], oaep.ProcessBlock(ciphertext, 0, ciphertext.Length));
        Assert.Equal(3, engine.Statistics.FaultsDetected);
    }

    [Fact]
    public void A_corrupted_encryption_is_recomputed_so_the_ciphertext_decrypts()
    {
        using var ours = new WarpDriveRsa(_key, _pool);
        using var theirs = RsaKeys.DotNet(_key);
        _pool.SoftEngine().Faults.Arm(SoftFault.CorruptResult);
        var ciphertext = ours.Encrypt([7, 7, 7], RSAEncryptionPadding.OaepSHA1);
        Assert.Equal(1, ours.Statistics.FaultsDetected);
        Assert.Equal([7, 7, 7], theirs.Decrypt(ciphertext, RSAEncryptionPadding.OaepSHA1));
    }

    [Fact]
    public void Error_statuses_are_re_run_in_software_by_the_pool()
    {
        var signer = new PssSigner(new WarpDriveRsaEngine(_pool), new Sha256Digest());
        signer.Init(true, BcKeys.BcPrivate(_key));
        _pool.SoftEngine().Faults.Arm(SoftFault.ErrorStatus, 2);
        for (int i = 0; i < 2; i++)
        {
            signer.BlockUpdate([1], 0, 1);
            var signature = signer.GenerateSignature();
            using var theirs = RsaKeys.DotNet(_key);
            Assert.True(theirs.VerifyData((byte[])[1], signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        }
        Assert.Equal(2, _pool.SoftEngine().Faults.Fired(SoftFault.ErrorStatus));
    }

    [Fact]
    public async Task Faults_at_a_random_rate_under_concurrent_async_load_never_give_a_wrong_signature()
    {
        using var ours = new WarpDriveRsa(_key, _pool);
        using var theirs = RsaKeys.DotNet(_key);
        _pool.SoftEngine().Faults.SetRate(SoftFault.CorruptResult, 0.2, seed: 5);
        var hashes = Enumerable.Range(0, 40).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToArray();
        var signatures = await Task.WhenAll(hashes.Select(h => ours.SignHashAsync(h, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).AsTask()));
        _pool.SoftEngine().Faults.Clear();
        for (int i = 0; i < hashes.Length; i++)
            Assert.True(theirs.VerifyHash(hashes[i], signatures[i], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.True(ours.Statistics.FaultsDetected > 0);
        Assert.Equal(_pool.SoftEngine().Faults.Fired(SoftFault.CorruptResult), ours.Statistics.FaultsDetected);
    }
}
