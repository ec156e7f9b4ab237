using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Forgewatch.EndToEnd.Serve;

/// <summary>The real <c>forgewatch serve</c> in its own process on 127.0.0.1, as an operator runs it.</summary>
internal static class ServeProcess
{
    /// <summary>Starts it over <paramref name="data"/> on <paramref name="port"/>, with
    /// <paramref name="environment"/> added to its environment variables; its output is drained.</summary>
    public static Process Start(string data, int port, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "forgewatch.dll"));
        foreach (string arg in new[] { "serve", "--data", data, "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits (30 s at most) until the server answers <c>/healthz</c> through <paramref name="client"/>.</summary>
    public static async Task WaitForHealthAsync(HttpClient client, Process server)
    {
        for (int attempt = 0; attempt < 300; attempt++)
        {
            Assert.False(server.HasExited, "forgewatch serve exited before it answered /healthz.");
            try
            {
                using HttpResponseMessage health = await client.GetAsync("/healthz", TestContext.Current.CancellationToken);
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Fail("forgewatch serve did not answer /healthz within 30 s.");
    }

    /// <summary>A port of 127.0.0.1 free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
