using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using WarpDrive.AspNetCore;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Crypto;
using WarpDrive.Devices.Soft;
using WarpDrive.Scheduling;
using WarpDrive.Scheduling.Diagnostics;
using WarpDrive.Tests;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests.AspNetCore;

/// <summary>A host that calls <c>AddWarpDrive()</c> compresses, decompresses and signs on the pool it registered, not on another.</summary>
public sealed class RegisteredPoolTests
{
    private static readonly byte[] Payload = Corpus.TextBytes(2_000_000);

    [Fact]
    public async Task Responses_requests_and_the_client_handler_run_on_the_registered_pool()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddWarpDrive(o => o.SoftEngine.WorkerCount = 1);
        builder.Services.AddWarpDriveResponseCompression(o => o.MimeTypes = ["text/plain"]);
        builder.Services.AddWarpDriveRequestDecompression();
        builder.Services.AddHttpClient("warpdrive").AddWarpDriveDecompression();
        await using var app = builder.Build();
        app.UseRequestDecompression();
        app.UseResponseCompression();
        app.MapGet("/text", () => Results.Bytes(Payload, "text/plain"));
        // Already gzip (indexed members, which a reader sends to the pool): the server leaves it as it is.
        var precompressed = Streams.Compress("gzip", Payload, 1, new WarpDriveCompressionOptions { GzipMultiMember = true, ChunkSize = 256 * 1024, IndependentBlockSize = 256 * 1024 });
        app.MapGet("/precompressed", (HttpContext context) =>
        {
            context.Response.Headers.ContentEncoding = "gzip";
            return Results.Bytes(precompressed, "application/octet-stream");
        });
        app.MapPost("/echo", async (HttpContext context) =>
        {
            var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            return Results.Bytes(body.ToArray(), "application/octet-stream");
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = new Uri(app.Urls.First());
        var pool = app.Services.GetRequiredService<AcceleratorPool>();
        // Every request on the registered pool's engine fails once and re-runs in software: its fault count says
        // the work went through it.
        pool.SoftEngine().Faults.SetRate(SoftFault.ErrorStatus, 1.0, seed: 1);

        using var client = new HttpClient();
        using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(address, "/text"));
        get.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await client.SendAsync(get, TestContext.Current.CancellationToken);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.Equal(Payload, Streams.DecompressWithDotNet("gzip", await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)));
        long afterResponse = pool.DeviceFaults.GetValueOrDefault("soft-0");
        Assert.True(afterResponse > 0, "the response was not compressed on the registered pool");

        // A gzip request body, decompressed by the server's request decompression, read back through the client's handler.
        var multiMember = new WarpDriveCompressionOptions { Pool = pool, GzipMultiMember = true, ChunkSize = 256 * 1024, IndependentBlockSize = 256 * 1024 };
        var content = new ByteArrayContent(Streams.Compress("gzip", Payload, 1, multiMember));
        content.Headers.ContentEncoding.Add("gzip");
        using var posted = await client.PostAsync(new Uri(address, "/echo"), content, TestContext.Current.CancellationToken);
        Assert.Equal(Payload, await posted.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        long afterRequest = pool.DeviceFaults.GetValueOrDefault("soft-0");
        Assert.True(afterRequest > afterResponse, "the request body was not decompressed on the registered pool");

        var factoryClient = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("warpdrive");
        Assert.Equal(Payload, await factoryClient.GetByteArrayAsync(new Uri(address, "/precompressed"), TestContext.Current.CancellationToken));
        Assert.True(pool.DeviceFaults["soft-0"] > afterRequest, "the client handler did not decompress on the registered pool");
        pool.SoftEngine().Faults.Clear();
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_host_that_compresses_and_signs_counts_both_in_the_registered_pools_metrics()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddWarpDrive(o => o.SoftEngine.WorkerCount = 1);
        builder.Services.AddWarpDriveResponseCompression(o => o.MimeTypes = ["text/plain"]);
        builder.Services.AddWarpDriveRsa();
        await using var app = builder.Build();
        app.UseResponseCompression();
        using var key = RSA.Create(2048);
        var parameters = key.ExportParameters(includePrivateParameters: true);
        app.MapGet("/signed", (WarpDriveRsaEngine engine) =>
        {
            var signer = new RsaDigestSigner(engine, new Sha256Digest(), new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdSha256, Org.BouncyCastle.Asn1.DerNull.Instance));
            signer.Init(true, new RsaPrivateCrtKeyParameters(Big(parameters.Modulus!), Big(parameters.Exponent!), Big(parameters.D!),
                Big(parameters.P!), Big(parameters.Q!), Big(parameters.DP!), Big(parameters.DQ!), Big(parameters.InverseQ!)));
            signer.BlockUpdate(Payload, 0, Payload.Length);
            return Results.Text(Convert.ToBase64String(signer.GenerateSignature()) + "\n" + System.Text.Encoding.ASCII.GetString(Payload), "text/plain");
        });
        var requests = new Dictionary<string, long>();
        var hostMeters = app.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == WarpDriveMetrics.MeterName && instrument.Meter.Scope == hostMeters && instrument.Name == "warpdrive.requests")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "warpdrive.algorithm")
                {
                    lock (requests)
                        requests[(string)tag.Value!] = requests.GetValueOrDefault((string)tag.Value!) + value;
                }
            }
        });
        listener.Start();
        await app.StartAsync(TestContext.Current.CancellationToken);

        using var client = new HttpClient();
        using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(app.Urls.First()), "/signed"));
        get.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await client.SendAsync(get, TestContext.Current.CancellationToken);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        var body = System.Text.Encoding.ASCII.GetString(Streams.DecompressWithDotNet("gzip", await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)));
        var signature = Convert.FromBase64String(body[..body.IndexOf('\n', StringComparison.Ordinal)]);
        Assert.True(key.VerifyData(Payload, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        await app.StopAsync(TestContext.Current.CancellationToken);

        lock (requests)
        {
            Assert.True(requests.GetValueOrDefault("rsa") >= 1, $"no RSA request on the registered pool: {string.Join(", ", requests)}");
            Assert.True(requests.Where(r => r.Key != "rsa").Sum(r => r.Value) >= 1, $"no compression request on the registered pool: {string.Join(", ", requests)}");
        }
    }

    private static Org.BouncyCastle.Math.BigInteger Big(byte[] bytes) => new(1, bytes);

    [Fact]
    public void A_bad_response_compression_option_fails_the_host_at_start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddWarpDriveResponseCompression(configureWarpDrive: o => o.Compression = new WarpDriveCompressionOptions { IndependentBlockSize = 64 << 20 });
        using var app = builder.Build();
        var error = Assert.Throws<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken).GetAwaiter().GetResult());
        Assert.Contains("IndependentBlockSize", error.Message, StringComparison.Ordinal);
    }
}
