using System.IO.Compression;
using System.Net.Http.Headers;
using WarpDrive.Compression;
using WarpDrive.Scheduling;

namespace WarpDrive.AspNetCore;

/// <summary>
/// An <see cref="HttpClient"/> handler that asks for gzip and deflate and decompresses responses through WarpDrive,
/// in place of <see cref="HttpClientHandler.AutomaticDecompression"/> (leave that off).
/// </summary>
public sealed class WarpDriveDecompressionHandler : DelegatingHandler
{
    private readonly WarpDriveCompressionOptions _options = WarpDriveCompressionOptions.Default;

    /// <summary>A handler to put in front of an inner handler (set <see cref="DelegatingHandler.InnerHandler"/>, or let the HttpClient factory do it).</summary>
    public WarpDriveDecompressionHandler()
    {
    }

    /// <summary>A handler that decompresses on <paramref name="pool"/> (the shared pool when null); the HttpClient factory sets its inner handler.</summary>
    public WarpDriveDecompressionHandler(AcceleratorPool? pool)
    {
        _options = pool is null ? WarpDriveCompressionOptions.Default : new WarpDriveCompressionOptions { Pool = pool };
    }

    /// <summary>A handler in front of <paramref name="innerHandler"/>.</summary>
    public WarpDriveDecompressionHandler(HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.AcceptEncoding.Count == 0)
        {
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("deflate"));
        }
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var content = response.Content;
        var encodings = content?.Headers.ContentEncoding;
        if (content is null || encodings is null || encodings.Count != 1)
            return response;
        string encoding = encodings.First();
        Func<Stream, Stream>? wrap = encoding.ToUpperInvariant() switch
        {
            "GZIP" or "X-GZIP" => s => new WarpDriveGZipStream(s, CompressionMode.Decompress, _options),
            "DEFLATE" => s => new WarpDriveZLibStream(s, CompressionMode.Decompress, _options),
            _ => null,
        };
        if (wrap is null)
            return response;
        var compressed = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var decompressed = new StreamContent(wrap(compressed));
        foreach (var header in content.Headers)
        {
            if (!header.Key.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase)
                && !header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                decompressed.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        response.Content = decompressed;
        return response;
    }
}
