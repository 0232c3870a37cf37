using System.Security.Cryptography;
using WarpDrive.Crypto.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Crypto.Tests;

/// <summary>The RSA block transform round-trips through CryptoStream, block by block, and refuses partial ciphertext blocks.</summary>
public sealed class CryptoTransformTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(190)]
    [InlineData(1000)]
    public void CryptoStream_round_trips_data_of_any_length(int length)
    {
        using var ours = new WarpDriveRsa(RsaKeys.Get(2048), TestPool.Shared);
        var data = RsaKeys.RandomBytes(length);
        var padding = RSAEncryptionPadding.OaepSHA256;

        using var encrypted = new MemoryStream();
        using (var stream = new CryptoStream(encrypted, ours.CreateEncryptor(padding), CryptoStreamMode.Write, leaveOpen: true))
            stream.Write(data);
        Assert.Equal((length + 189) / 190 * 256, encrypted.Length);

        // Each block is a standard OAEP ciphertext .NET can decrypt on its own.
        using var theirs = RsaKeys.DotNet(RsaKeys.Get(2048));
        if (length > 0)
            Assert.Equal(data.AsSpan(0, Math.Min(190, length)).ToArray(), theirs.Decrypt(encrypted.ToArray()[..256], padding));

        encrypted.Position = 0;
        using var decrypted = new MemoryStream();
        using (var stream = new CryptoStream(encrypted, ours.CreateDecryptor(padding), CryptoStreamMode.Read))
            stream.CopyTo(decrypted);
        Assert.Equal(data, decrypted.ToArray());
    }

    [Fact]
    public void A_partial_ciphertext_block_is_refused()
    {
        using var ours = new WarpDriveRsa(RsaKeys.Get(2048), TestPool.Shared);
        using var decryptor = ours.CreateDecryptor(RSAEncryptionPadding.Pkcs1);
        Assert.Equal(256, decryptor.InputBlockSize);
        Assert.Equal(245, decryptor.OutputBlockSize);
        Assert.Throws<CryptographicException>(() => decryptor.TransformFinalBlock(new byte[300], 0, 300));
        Assert.Throws<CryptographicException>(() => decryptor.TransformBlock(new byte[300], 0, 300, new byte[600], 0));
    }
}
