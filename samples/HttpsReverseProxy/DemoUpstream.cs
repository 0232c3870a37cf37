using System.Collections.Concurrent;
using System.Text;

namespace HttpsReverseProxy;

/// <summary>
/// A small plain-HTTP upstream on a free loopback port, for trying the proxy (<c>--demo-upstream</c>) and for its
/// tests: text and JSON bodies of a given size, chunked responses, an echo, and a slow endpoint.
/// </summary>
internal static class DemoUpstream
{
    private const long MaxCachedBytes = 32 << 20;

    // Bodies by kind and length, made once: generated per request, a 256 KiB body put a fresh large-object array on the
    // proxy's heap (the upstream shares its process), and the page faults of that churn were the biggest kernel cost
    // of a 256 KiB load run, for every configuration alike.
    private static readonly ConcurrentDictionary<(bool Json, int Length), byte[]> s_bodies = new();
    private static long s_cachedBytes;

    /// <summary>Starts it; the caller disposes the returned app.</summary>
    public static async Task<WebApplication> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/", () => "WarpDrive HTTPS reverse proxy demo upstream: /text/{bytes}, /json/{bytes}, /chunked/{bytes}, POST /echo, /slow/{ms}\n");
        app.MapGet("/text/{length:int}", (int length) => Results.Bytes(Body(json: false, length), "text/plain; charset=utf-8"));
        app.MapGet("/json/{length:int}", (int length) => Results.Bytes(Body(json: true, length), "application/json"));
        app.MapGet("/chunked/{length:int}", async (int length, HttpContext context) =>
        {
            // No Content-Length and a flush per 4 KiB: the response goes out chunked.
            context.Response.ContentType = "text/plain; charset=utf-8";
            var body = Body(json: false, length);
            for (int at = 0; at < body.Length; at += 4096)
            {
                await context.Response.Body.WriteAsync(body.AsMemory(at, Math.Min(4096, body.Length - at)), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        });
        app.MapPost("/echo", async (HttpContext context) =>
        {
            context.Response.ContentType = context.Request.ContentType ?? "application/octet-stream";
            await context.Request.Body.CopyToAsync(context.Response.Body, context.RequestAborted);
        });
        app.MapGet("/slow/{ms:int}", async (int ms, CancellationToken aborted) =>
        {
            await Task.Delay(ms, aborted);
            return "late\n";
        });
        await app.StartAsync(cancellationToken);
        return app;
    }

    /// <summary>The address it listens on.</summary>
    public static string Address(WebApplication app) => app.Urls.First();

    /// <summary>A body from the cache, made on first use (once the cache holds 32 MiB, further bodies are made each time).</summary>
    private static byte[] Body(bool json, int length)
    {
        if (s_bodies.TryGetValue((json, length), out var body))
            return body;
        body = json ? Json(length) : Text(length);
        if (Interlocked.Add(ref s_cachedBytes, body.Length) <= MaxCachedBytes && s_bodies.TryAdd((json, length), body))
            return body;
        Interlocked.Add(ref s_cachedBytes, -body.Length);
        return body;
    }

    /// <summary><paramref name="length"/> bytes of readable, compressible text, the same for the same length.</summary>
    public static byte[] Text(int length)
    {
        string[] words = ["accelerator", "queue", "doorbell", "gzip", "deflate", "request", "completion", "ring", "device", "kernel", "user", "space", "WarpDrive", "proxy", "TLS", "RSA"];
        var text = new StringBuilder(length + 32);
        uint state = 2463534242;
        for (int line = 1; text.Length < length; line++)
        {
            text.Append(line).Append(':');
            for (int i = 0; i < 12; i++)
            {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                text.Append(' ').Append(words[state % (uint)words.Length]);
            }
            text.Append('\n');
        }
        return Encoding.UTF8.GetBytes(text.ToString(0, length));
    }

    /// <summary>About <paramref name="length"/> bytes of JSON (an array of small records).</summary>
    public static byte[] Json(int length)
    {
        var json = new StringBuilder("[", length + 128);
        for (int i = 0; json.Length < length - 80; i++)
            json.Append(i == 0 ? "" : ",").Append("{\"id\":").Append(i).Append(",\"name\":\"item-").Append(i).Append("\",\"served\":true,\"tags\":[\"gzip\",\"tls\"]}");
        return Encoding.UTF8.GetBytes(json.Append(']').ToString());
    }
}
