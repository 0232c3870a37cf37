using System.Security.Cryptography;
using WarpDrive.Crypto.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Crypto.Tests;

/// <summary>The async APIs wait for the queue without blocking; concurrent callers share one pool and get correct results.</summary>
public sealed class AsyncOperationTests
{
    private static readonly RSAParameters s_key = RsaKeys.Get(2048);

    [Fact]
    public async Task ProcessBlockAsync_gives_the_same_result_as_ProcessBlock()
    {
        var engine = new WarpDriveRsaEngine(TestPool.Shared);
        engine.Init(false, BcKeys.BcPrivate(s_key));
        var input = RsaKeys.RandomBytes(255);
        var sync = engine.ProcessBlock(input, 0, input.Length);
        var async = await engine.ProcessBlockAsync(input, TestContext.Current.CancellationToken);
        Assert.Equal(sync, async);

        engine.Init(true, BcKeys.BcPublic(s_key));
        var back = await engine.ProcessBlockAsync(sync, TestContext.Current.CancellationToken);
        Assert.Equal(input, back[1..]);
    }

    [Fact]
    public async Task Many_concurrent_async_signatures_and_decryptions_are_all_correct()
    {
        using var ours = new WarpDriveRsa(s_key, TestPool.Shared);
        using var theirs = RsaKeys.DotNet(s_key);
        var messages = Enumerable.Range(0, 24).Select(i => RsaKeys.RandomBytes(i + 1)).ToArray();
        var ciphertexts = messages.Select(m => theirs.Encrypt(m, RSAEncryptionPadding.OaepSHA256)).ToArray();

        var signing = messages.Select(m => ours.SignHashAsync(SHA256.HashData(m), HashAlgorithmName.SHA256, RSASignaturePadding.Pss).AsTask());
        var decrypting = ciphertexts.Select(c => ours.DecryptAsync(c, RSAEncryptionPadding.OaepSHA256).AsTask());
        var signatures = await Task.WhenAll(signing);
        var plaintexts = await Task.WhenAll(decrypting);

        for (int i = 0; i < messages.Length; i++)
        {
            Assert.True(theirs.VerifyHash(SHA256.HashData(messages[i]), signatures[i], HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
            Assert.True(await ours.VerifyHashAsync(SHA256.HashData(messages[i]), signatures[i], HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
            Assert.Equal(messages[i], plaintexts[i]);
        }
        var encrypted = await ours.EncryptAsync(messages[0], RSAEncryptionPadding.Pkcs1);
        Assert.Equal(messages[0], theirs.Decrypt(encrypted, RSAEncryptionPadding.Pkcs1));
        Assert.Equal(48, ours.Statistics.PrivateOperations);
    }

    [Fact]
    public async Task Threads_sharing_one_WarpDriveRsa_each_use_their_own_queue_and_agree()
    {
        using var ours = new WarpDriveRsa(s_key, TestPool.Shared);
        using var theirs = RsaKeys.DotNet(s_key);
        var tasks = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < 10; i++)
            {
                var hash = SHA256.HashData(BitConverter.GetBytes(t * 100 + i));
                var signature = ours.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                Assert.Equal(theirs.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), signature);
            }
        }));
        await Task.WhenAll(tasks);
        Assert.Equal(40, ours.Statistics.DeviceOperations);
    }

    [Fact]
    public async Task A_cancelled_token_stops_the_request_before_it_is_sent()
    {
        using var ours = new WarpDriveRsa(s_key, TestPool.Shared);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await ours.SignHashAsync(new byte[32], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, cts.Token));
        Assert.Equal(0, ours.Statistics.PrivateOperations);
    }
}
