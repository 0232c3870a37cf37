using System.Security.Cryptography;
using WarpDrive.Crypto.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Crypto.Tests;

/// <summary>WarpDriveRsa takes keys in every form .NET's RSA does (parameters, PKCS #1, PKCS #8, SPKI, PEM) and gives them back.</summary>
public sealed class KeyImportExportTests
{
    [Fact]
    public void Parameters_round_trip_as_dotnet_exports_them()
    {
        var p = RsaKeys.Get(2048);
        using var ours = new WarpDriveRsa(p, TestPool.Shared);
        var back = ours.ExportParameters(true);
        Assert.Equal(p.Modulus, back.Modulus);
        Assert.Equal(p.Exponent, back.Exponent);
        Assert.Equal(p.D, back.D);
        Assert.Equal(p.P, back.P);
        Assert.Equal(p.Q, back.Q);
        Assert.Equal(p.DP, back.DP);
        Assert.Equal(p.DQ, back.DQ);
        Assert.Equal(p.InverseQ, back.InverseQ);
        Assert.Null(ours.ExportParameters(false).D);
    }

    [Fact]
    public void Pem_pkcs8_pkcs1_and_spki_imports_sign_and_verify_like_the_original()
    {
        var p = RsaKeys.Get(2048);
        using var original = RsaKeys.DotNet(p);
        var data = RsaKeys.RandomBytes(64);

        using var fromPem = new WarpDriveRsa(2048, TestPool.Shared);
        fromPem.ImportFromPem(original.ExportPkcs8PrivateKeyPem());
        Assert.True(original.VerifyData(data, fromPem.SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pss), HashAlgorithmName.SHA384, RSASignaturePadding.Pss));

        using var fromPkcs1 = new WarpDriveRsa(2048, TestPool.Shared);
        fromPkcs1.ImportRSAPrivateKey(original.ExportRSAPrivateKey(), out _);
        Assert.Equal(original.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), fromPkcs1.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        using var fromSpki = new WarpDriveRsa(2048, TestPool.Shared);
        fromSpki.ImportSubjectPublicKeyInfo(original.ExportSubjectPublicKeyInfo(), out _);
        Assert.True(fromSpki.VerifyData(data, original.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss), HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        Assert.Throws<CryptographicException>(() => fromSpki.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        Assert.Throws<CryptographicException>(() => fromSpki.ExportParameters(true));

        using var fromPublicPem = new WarpDriveRsa(2048, TestPool.Shared);
        fromPublicPem.ImportFromPem(original.ExportRSAPublicKeyPem());
        Assert.Equal(original.ExportSubjectPublicKeyInfo(), fromPublicPem.ExportSubjectPublicKeyInfo());

        using var pkcs8 = new WarpDriveRsa(2048, TestPool.Shared);
        pkcs8.ImportPkcs8PrivateKey(original.ExportPkcs8PrivateKey(), out _);
        Assert.Equal(original.ExportRSAPrivateKey(), pkcs8.ExportRSAPrivateKey());
    }
}
