using System.Security.Cryptography;
using WarpDrive.Crypto.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Crypto.Tests;

/// <summary>Every supported key width runs on the in-process queue (the soft engine takes any width), device widths and others alike.</summary>
public sealed class KeySizeRoutingTests
{
    [Theory]
    [InlineData(1024)]
    [InlineData(1536)]
    [InlineData(1032)]
    [InlineData(2056)]
    [InlineData(512)]
    public void Odd_and_device_widths_run_on_the_soft_queue_and_verify(int bits)
    {
        var p = RsaKeys.Get(bits);
        using var ours = new WarpDriveRsa(p, TestPool.Shared);
        using var theirs = RsaKeys.DotNet(p);
        var hash = SHA256.HashData([3]);
        var signature = ours.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.True(theirs.VerifyHash(hash, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Equal(bits, ours.KeySize);
        Assert.Equal("soft-0", ours.Statistics.LastServedBy);
        var message = new byte[] { 1, 2, 3, 4 };
        Assert.Equal(message, ours.Decrypt(theirs.Encrypt(message, RSAEncryptionPadding.Pkcs1), RSAEncryptionPadding.Pkcs1));
    }

    [Fact]
    public void A_pool_without_sva_stages_the_buffers_and_gives_the_same_results()
    {
        using var pool = TestPool.Create(sva: false);
        var p = RsaKeys.Get(2048);
        using var ours = new WarpDriveRsa(p, pool);
        using var theirs = RsaKeys.DotNet(p);
        var hash = SHA256.HashData([4]);
        Assert.Equal(theirs.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), ours.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Equal(1, ours.Statistics.DeviceOperations);
    }
}
