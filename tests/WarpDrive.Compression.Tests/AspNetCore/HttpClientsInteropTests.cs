using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WarpDrive.Compression.Tests.AspNetCore;

/// <summary>
/// Real HTTP clients read every response WarpDrive's gzip provider serves, completely and byte-exact: curl
/// (--compressed, and the undecoded body through gzip -dc), Python (urllib with gzip, and zlib reading exactly one member),
/// HttpClient with automatic decompression, and headless Chromium. Small, large, JSON-serialized and
/// flushed-streaming responses. Clients built on zlib's inflate stop after a first gzip member, so these fail on
/// multi-member output. The clients are installed by test.sh; outside CI a missing one skips its test.
/// </summary>
public sealed class HttpClientsInteropTests : IAsyncLifetime
{
    private static readonly Dictionary<string, byte[]> Bodies = new()
    {
        ["/small.txt"] = Encoding.UTF8.GetBytes(Text(300)),
        ["/large.txt"] = Encoding.UTF8.GetBytes(Text(11_400_000)),
        ["/big.json"] = JsonBody(),
        ["/stream.txt"] = Encoding.UTF8.GetBytes(Text(400_000)),
    };

    private WebApplication? _app;
    private Uri? _address;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddWarpDrive();
        builder.Services.AddWarpDriveResponseCompression(o => o.MimeTypes = ["text/plain", "application/json", "text/html"]);
        _app = builder.Build();
        _app.UseResponseCompression();
        _app.MapGet("/small.txt", () => Results.Bytes(Bodies["/small.txt"], "text/plain"));
        _app.MapGet("/large.txt", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain";
            var body = Bodies["/large.txt"];
            for (int at = 0; at < body.Length; at += 64 * 1024)
                await context.Response.Body.WriteAsync(body.AsMemory(at, Math.Min(64 * 1024, body.Length - at)));
        });
        // Serialized straight to the response, as an API returns a big result (the serializer flushes as it goes).
        _app.MapGet("/big.json", async (HttpContext context) =>
        {
            context.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(context.Response.Body, Items(), ItemsContext.Default.IEnumerableItem);
        });
        // Server-sent pieces: each flushed at once, as event streams and long polls do.
        _app.MapGet("/stream.txt", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain";
            var body = Bodies["/stream.txt"];
            int piece = body.Length / 50 + 1;
            for (int at = 0; at < body.Length; at += piece)
            {
                await context.Response.Body.WriteAsync(body.AsMemory(at, Math.Min(piece, body.Length - at)));
                await context.Response.Body.FlushAsync();
            }
        });
        _app.MapGet("/check.html", () => Results.Content(CheckPage(), "text/html"));
        await _app.StartAsync();
        _address = new Uri(_app.Urls.First());
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }

    public static TheoryData<string> Paths() => new(Bodies.Keys);

    [Theory]
    [MemberData(nameof(Paths))]
    public void Curl_compressed_reads_every_response_whole(string path)
    {
        Require("curl");
        var file = Path.GetTempFileName();
        try
        {
            var (_, error, code) = Shell($"curl -sS --compressed -o '{file}' '{Url(path)}'");
            Assert.True(code == 0, $"curl exited {code}: {error}");
            Assert.Equal(Hash(Bodies[path]), Hash(File.ReadAllBytes(file)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Curl_undecoded_through_gzip_reads_every_response_whole(string path)
    {
        Require("curl");
        // Without --compressed curl leaves the gzip body as it came (it still undoes the chunked transfer coding,
        // which --raw would leave in), and gzip -dc decodes it.
        var (output, error, code) = Shell($"set -o pipefail; curl -sS -H 'Accept-Encoding: gzip' '{Url(path)}' | gzip -dc");
        Assert.True(code == 0, $"curl | gzip -dc exited {code}: {error}");
        Assert.Equal(Hash(Bodies[path]), Hash(output));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Python_urllib_and_zlib_read_every_response_as_one_member(string path)
    {
        string python = Require("/usr/bin/python3", "python3");
        // zlib with wbits 31 decodes exactly one gzip member: unused_data must be empty and the body whole.
        const string Script = """
            import sys, gzip, zlib, hashlib, urllib.request
            request = urllib.request.Request(sys.argv[1], headers={"Accept-Encoding": "gzip"})
            with urllib.request.urlopen(request) as response:
                assert response.headers.get("Content-Encoding") == "gzip", response.headers
                raw = response.read()
            whole = gzip.decompress(raw)
            one = zlib.decompressobj(31)
            first = one.decompress(raw) + one.flush()
            assert one.eof and one.unused_data == b"", "more than one gzip member"
            assert first == whole
            print(hashlib.sha256(whole).hexdigest())
            """;
        var (output, error, code) = Run(python, ["-c", Script, Url(path)]);
        Assert.True(code == 0, $"python exited {code}: {error}");
        Assert.Equal(Hash(Bodies[path]), Encoding.ASCII.GetString(output).Trim());
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task HttpClient_with_automatic_decompression_reads_every_response_whole(string path)
    {
        using var client = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.GZip });
        using var response = await client.GetAsync(new Uri(_address!, path));
        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal(Hash(Bodies[path]), Hash(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public void Headless_chromium_reads_every_response_whole()
    {
        string chromium = Require("/usr/bin/chromium", "chromium");
        var profile = Directory.CreateTempSubdirectory("wd-chromium-").FullName;
        try
        {
            // The page fetches every path (the browser asks for gzip and decodes it), hashes what it got, and
            // writes the lengths and hashes into the DOM that --dump-dom prints.
            var (output, error, code) = Run(chromium,
                ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 $"--user-data-dir={profile}", "--virtual-time-budget=60000", "--dump-dom", Url("/check.html")], timeout: TimeSpan.FromMinutes(2));
            string dom = Encoding.UTF8.GetString(output);
            Assert.True(code == 0, $"chromium exited {code}: {error}");
            foreach (var (path, body) in Bodies)
                Assert.Contains($"{path} {body.Length} {Hash(body)}", dom, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    private string Url(string path) => new Uri(_address!, path).ToString();

    private static string CheckPage() => """
        <!doctype html><html><body><pre id="result">pending</pre><script>
        const paths = [PATHS];
        (async () => {
          const lines = [];
          for (const path of paths) {
            const response = await fetch(path);
            const bytes = new Uint8Array(await response.arrayBuffer());
            const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
            lines.push(path + " " + bytes.length + " " + Array.from(digest, b => b.toString(16).padStart(2, "0")).join(""));
          }
          document.getElementById("result").textContent = lines.join("\n");
        })().catch(e => document.getElementById("result").textContent = "error " + e);
        </script></body></html>
        """.Replace("PATHS", string.Join(",", Bodies.Keys.Select(p => $"\"{p}\"")), StringComparison.Ordinal);

    private static string Hash(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static string Text(int length)
    {
        var random = new Random(1952);
        string[] words = ["warp", "drive", "queue", "deflate", "member", "block", "kernel", "device", "stream", "ring", "doorbell", "phase"];
        var text = new StringBuilder(length + 32);
        while (text.Length < length)
        {
            text.Append(words[random.Next(words.Length)]).Append(random.Next(3) == 0 ? '\n' : ' ');
            if (random.Next(50) == 0)
                text.Append(random.Next()).Append('\n');
        }
        return text.ToString(0, length);
    }

    internal sealed record Item(int Id, string Name, double Price, string[] Tags, bool Active);

    private static IEnumerable<Item> Items()
    {
        var random = new Random(7);
        for (int i = 0; i < 85_000; i++)
            yield return new Item(i, $"item-{i}", Math.Round(random.NextDouble() * 1000, 2), ["a" + (i % 7), "b" + (i % 13)], i % 3 == 0);
    }

    private static byte[] JsonBody()
    {
        var buffer = new MemoryStream();
        JsonSerializer.Serialize(buffer, Items(), ItemsContext.Default.IEnumerableItem);
        return buffer.ToArray();
    }

    /// <summary>The client's path: a fixed one, or the first on PATH. Missing, it fails under CI and skips elsewhere.</summary>
    private static string Require(string preferred, string? name = null)
    {
        if (File.Exists(preferred))
            return preferred;
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(dir => Path.Combine(dir, name ?? preferred)).FirstOrDefault(File.Exists);
        if (found is not null)
            return found;
        if (Environment.GetEnvironmentVariable("CI") == "true")
            Assert.Fail($"{name ?? preferred} is not installed; test.sh installs it.");
        Assert.Skip($"{name ?? preferred} is not installed (test.sh installs it).");
        return "";
    }

    private static (byte[] Output, string Error, int ExitCode) Shell(string command) => Run("/bin/bash", ["-c", command]);

    private static (byte[] Output, string Error, int ExitCode) Run(string file, string[] arguments, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            return (output.ToArray(), "timed out", -1);
        }
        copy.Wait();
        return (output.ToArray(), error.Result, process.ExitCode);
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(IEnumerable<HttpClientsInteropTests.Item>))]
internal sealed partial class ItemsContext : System.Text.Json.Serialization.JsonSerializerContext;
