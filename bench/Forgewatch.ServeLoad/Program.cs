using Forgewatch.ServeLoad;

// Usage (from the repository root; bench/serve/*.sh start the server and call these):
//   dotnet run -c Release --project bench/Forgewatch.ServeLoad -- push URL TENANT KEY BATCH_DIR CLIENTS
//       posts every file of BATCH_DIR (one batch each) with CLIENTS requests at once; prints events per second
//       from the first request to the last answer. Every batch must be answered 200.
//   dotnet run -c Release --project bench/Forgewatch.ServeLoad -- latency URL TENANTS KEYS WEBHOOK_PORT RATE SECONDS ATTACK_EVERY_MS
//       a background load of RATE records per second (mail access and sign-ins, half each, stamped with the
//       current time) for SECONDS, spread evenly over TENANTS (comma-separated, with their KEYS in the same
//       order), and every ATTACK_EVERY_MS one mail access from an address on the tenants' indicator list
//       (uploaded first), to the tenants in turn; the webhook listener on WEBHOOK_PORT notes when each attack's
//       incident arrives. Prints the latency percentiles.
try
{
    return args switch
    {
        ["push", string url, string tenant, string key, string directory, string clients] =>
            await PushLoad.RunAsync(new Uri(url), tenant, key, directory, int.Parse(clients, System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false),
        ["latency", string url, string tenants, string keys, string port, string rate, string seconds, string every] =>
            await LatencyLoad.RunAsync(
                new Uri(url),
                [.. tenants.Split(',').Zip(keys.Split(','))],
                int.Parse(port, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(rate, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture),
                TimeSpan.FromMilliseconds(int.Parse(every, System.Globalization.CultureInfo.InvariantCulture))).ConfigureAwait(false),
        _ => Usage(),
    };
}
catch (Exception e) when (e is HttpRequestException or IOException or FormatException)
{
    Console.Error.WriteLine($"serve-load: {e.Message}");
    return 1;
}

static int Usage()
{
    Console.Error.WriteLine("usage: push URL TENANT KEY BATCH_DIR CLIENTS | latency URL TENANTS KEYS WEBHOOK_PORT RATE SECONDS ATTACK_EVERY_MS");
    return 2;
}
