#!/usr/bin/env bash
# The consumer tier: WarpDrive as a user meets it. Packs every package into a local folder, then
#   1. a fresh console app restores WarpDrive.Compression from that folder, round-trips a real file, and its
#      runtimeconfig names only Microsoft.NETCore.App (no ASP.NET Core shared framework);
#   2. a fresh ASP.NET Core app restores WarpDrive.AspNetCore and serves a gzipped response to HttpClient;
#   3. `dotnet tool install --tool-path` installs the warpdrive tool, whose gzip/gunzip round-trip a file that
#      gzip -d also reads.
# Ends with "N passed, N failed". WarpDrive's packages come from the local folder only (package source mapping);
# their dependencies from NuGet. Each run packs a version of its own, so no cached package stands in for it.
set -u -o pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
pass() { echo "CONSUMER PASS $1"; passed=$((passed + 1)); }
fail() { echo "CONSUMER FAIL $1: $2"; failed=$((failed + 1)); }

version="1.0.0-consumer.$(date +%s)"
feed="$work/feed"
if ! dotnet pack WarpDrive.sln -c Release -o "$feed" -p:Version="$version" -nologo -clp:ErrorsOnly >"$work/pack.txt" 2>&1; then
	cat "$work/pack.txt"
	fail pack "dotnet pack failed"
	echo "$passed passed, $failed failed"
	exit 1
fi
pass pack

cat >"$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="WarpDrive.*" /><package pattern="warpdrive" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML

# A project file of our own rather than `dotnet new`, so nothing depends on templates or their defaults.
new_app() { # dir sdk package
	mkdir -p "$1"
	cp "$work/nuget.config" "$1/"
	cat >"$1/app.csproj" <<XML
<Project Sdk="$2">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="$3" Version="$version" />
  </ItemGroup>
</Project>
XML
	# Keep the repository's Directory.Build.props and central package versions out of the consumer's build.
	echo '<Project />' >"$1/Directory.Build.props"
	echo '<Project />' >"$1/Directory.Packages.props"
}

# 1. Console app with WarpDrive.Compression only.
console="$work/console"
new_app "$console" Microsoft.NET.Sdk WarpDrive.Compression
cat >"$console/Program.cs" <<'CS'
using System.IO.Compression;
using WarpDrive.Compression;

var input = await File.ReadAllBytesAsync(args[0]);
var compressed = new MemoryStream();
await using (var gzip = new WarpDriveGZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
    await gzip.WriteAsync(input);
Console.WriteLine($"{input.Length} -> {compressed.Length} bytes");
compressed.Position = 0;
var output = new MemoryStream();
await using (var gunzip = new GZipStream(compressed, CompressionMode.Decompress))
    await gunzip.CopyToAsync(output);
return output.ToArray().AsSpan().SequenceEqual(input) ? 0 : 1;
CS
corpus=$(ls /usr/share/dotnet/packs/Microsoft.NETCore.App.Ref/*/ref/net*/System.Runtime.xml 2>/dev/null | head -1)
[ -n "$corpus" ] || corpus=$(command -v dotnet)
if (cd "$console" && dotnet run -c Release -- "$corpus") >"$work/console.txt" 2>&1; then
	pass console_round_trip
else
	cat "$work/console.txt"
	fail console_round_trip "the console app did not round-trip $corpus"
fi
config=$(find "$console/bin" -name app.runtimeconfig.json | head -1)
if [ -n "$config" ] && grep -q '"Microsoft.NETCore.App"' "$config" && ! grep -q 'Microsoft.AspNetCore.App' "$config"; then
	pass console_needs_only_the_runtime
else
	fail console_needs_only_the_runtime "runtimeconfig: $(cat "$config" 2>/dev/null)"
fi

# 2. ASP.NET Core app with WarpDrive.AspNetCore: it serves gzip to its own HttpClient on 127.0.0.1.
web="$work/web"
new_app "$web" Microsoft.NET.Sdk.Web WarpDrive.AspNetCore
cat >"$web/Program.cs" <<'CS'
using System.IO.Compression;
using System.Net.Http.Headers;

var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();
builder.Services.AddWarpDrive();
builder.Services.AddWarpDriveResponseCompression(o => o.MimeTypes = ["text/plain"]);
var app = builder.Build();
app.UseResponseCompression();
var body = string.Concat(Enumerable.Range(0, 20000).Select(i => $"line {i} of a WarpDrive response\n"));
app.MapGet("/", () => Results.Text(body));
await app.StartAsync();
using var client = new HttpClient();
using var request = new HttpRequestMessage(HttpMethod.Get, app.Urls.First());
request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
using var response = await client.SendAsync(request);
var encoding = string.Join(",", response.Content.Headers.ContentEncoding);
await using var gunzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
var text = await new StreamReader(gunzip).ReadToEndAsync();
await app.StopAsync();
Console.WriteLine($"{text.Length} characters, Content-Encoding: {encoding}");
return text == body && encoding == "gzip" ? 0 : 1;
CS
if (cd "$web" && timeout 300 dotnet run -c Release) >"$work/web.txt" 2>&1; then
	pass aspnetcore_serves_gzip
else
	cat "$work/web.txt"
	fail aspnetcore_serves_gzip "the ASP.NET Core app did not serve its gzipped response"
fi

# 3. The dotnet tool.
tools="$work/tools"
if (cd "$work" && dotnet tool install warpdrive --tool-path "$tools" --version "$version" --configfile "$work/nuget.config") >"$work/tool.txt" 2>&1; then
	pass tool_install
	cp "$corpus" "$work/file.txt"
	if "$tools/warpdrive" gzip -k "$work/file.txt" >"$work/gz.txt" 2>&1 && gzip -t "$work/file.txt.gz" \
		&& "$tools/warpdrive" gunzip -c "$work/file.txt.gz" >"$work/back.txt" 2>>"$work/gz.txt" && cmp -s "$work/back.txt" "$corpus"; then
		pass tool_gzip_round_trip
	else
		cat "$work/gz.txt"
		fail tool_gzip_round_trip "warpdrive gzip/gunzip did not round-trip"
	fi
else
	cat "$work/tool.txt"
	fail tool_install "dotnet tool install failed"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
