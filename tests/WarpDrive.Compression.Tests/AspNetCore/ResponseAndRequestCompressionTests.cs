using System.IO.Compression;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WarpDrive.AspNetCore;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests.AspNetCore;

/// <summary>Kestrel compresses responses and decompresses request bodies through WarpDrive; HttpClient decompresses through it.</summary>
public sealed class ResponseAndRequestCompressionTests : IAsyncLifetime
{
    private static readonly byte[] Payload = Corpus.TextBytes(3_000_000);
    private WebApplication? _app;
    private Uri? _address;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddWarpDriveResponseCompression(o => o.MimeTypes = ["application/octet-stream", "text/plain"]);
        builder.Services.AddWarpDriveRequestDecompression();
        _app = builder.Build();
        _app.UseRequestDecompression();
        _app.UseResponseCompression();
        _app.MapGet("/payload", async (HttpContext context) =>
        {
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(Payload.AsMemory(0, 1_000_000));
            await context.Response.Body.FlushAsync();
            await context.Response.Body.WriteAsync(Payload.AsMemory(1_000_000));
        });
        _app.MapPost("/echo-length", async (HttpContext context) =>
        {
            var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            return body.ToArray().AsSpan().SequenceEqual(Payload) ? "same" : $"differs: {body.Length}";
        });
        await _app.StartAsync();
        _address = new Uri(_app.Urls.First());
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task Responses_are_compressed_by_warpdrive_and_read_by_any_client(string encoding)
    {
        using var plain = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_address!, "/payload"));
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        using var response = await plain.SendAsync(request);
        Assert.Equal(encoding, Assert.Single(response.Content.Headers.ContentEncoding));
        var compressed = await response.Content.ReadAsByteArrayAsync();
        Assert.True(compressed.Length < Payload.Length / 3);
        Assert.Equal(Payload, Streams.DecompressWithDotNet(encoding == "gzip" ? "gzip" : "zlib", compressed));

        using var warpdrive = new HttpClient(new WarpDriveDecompressionHandler(new HttpClientHandler()));
        Assert.Equal(Payload, await warpdrive.GetByteArrayAsync(new Uri(_address!, "/payload")));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task Request_bodies_are_decompressed_by_warpdrive(string encoding)
    {
        using var client = new HttpClient();
        var content = new ByteArrayContent(Streams.Compress(encoding == "gzip" ? "gzip" : "zlib", Payload, 1));
        content.Headers.ContentEncoding.Add(encoding);
        using var response = await client.PostAsync(new Uri(_address!, "/echo-length"), content);
        Assert.Equal("same", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_http_client_factory_takes_the_handler_and_it_decompresses()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("wd").AddWarpDriveDecompression();
        using var provider = services.BuildServiceProvider();
        using var handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("wd");
        var chain = new List<HttpMessageHandler>();
        for (HttpMessageHandler? at = handler; at is not null; at = (at as DelegatingHandler)?.InnerHandler)
            chain.Add(at);
        Assert.Contains(chain, h => h is WarpDriveDecompressionHandler);

        // The factory's client asks for gzip and gets the payload back decoded, with no Content-Encoding left.
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("wd");
        using var response = await client.GetAsync(new Uri(_address!, "/payload"));
        Assert.Contains(response.RequestMessage!.Headers.AcceptEncoding, e => e.Value == "gzip");
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(Payload, await response.Content.ReadAsByteArrayAsync());
    }
}
