using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WarpDrive.AspNetCore;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Devices.Soft;
using WarpDrive.Scheduling;

namespace WarpDrive.Compression.Tests.AspNetCore;

/// <summary>A host that calls <c>AddWarpDrive()</c> compresses and decompresses on the pool it registered, not on another.</summary>
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
        pool.SoftEngine.Faults.SetRate(SoftFault.ErrorStatus, 1.0, seed: 1);

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
        pool.SoftEngine.Faults.Clear();
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

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
