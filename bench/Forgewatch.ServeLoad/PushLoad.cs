using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

namespace Forgewatch.ServeLoad;

/// <summary>Posts prepared batch files as fast as the server takes them, CLIENTS at a time.</summary>
internal static class PushLoad
{
    public static async Task<int> RunAsync(Uri server, string tenant, string key, string directory, int clients)
    {
        string[] files = [.. Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal)];
        byte[][] bodies = [.. files.Select(File.ReadAllBytes)];
        long records = bodies.Sum(b => (long)b.AsSpan().Count((byte)'\n'));
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        var endpoint = new Uri(server, $"api/v1/tenants/{tenant}/events");
        int next = -1;
        int refused = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Length)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(bodies[i]) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                using HttpResponseMessage response = await http.SendAsync(request).ConfigureAwait(false);
                if ((int)response.StatusCode != 200)
                {
                    Interlocked.Increment(ref refused);
                    Console.Error.WriteLine($"{Path.GetFileName(files[i])}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
                }
            }
        })).ConfigureAwait(false);
        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{records:N0} events in {bodies.Length} batches, {seconds:F2} s: {records / seconds:N0} events/s"));
        return refused == 0 ? 0 : 1;
    }
}
