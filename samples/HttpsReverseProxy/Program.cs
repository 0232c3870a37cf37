// The WarpDrive HTTPS reverse proxy sample: see README.md.
return await HttpsReverseProxy.ProxyHost.RunAsync(args);
