using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace Forgewatch.ServeLoad;

/// <summary>
/// The time from the request carrying an attack record to the webhook announcing its incident, while a
/// background load runs, spread evenly over one or more tenants. Each attack comes from its own address of the
/// tenants' indicator list (uploaded first), so it is an incident of its own; the webhook body names the
/// address. Attacks go to the tenants in turn.
/// </summary>
internal static partial class LatencyLoad
{
    private const int TicksPerSecond = 10;

    public static async Task<int> RunAsync(Uri server, IReadOnlyList<(string Tenant, string Key)> tenants, int webhookPort, int rate, int seconds, TimeSpan attackEvery)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        Uri[] events = [.. tenants.Select(t => new Uri(server, $"api/v1/tenants/{t.Tenant}/events"))];
        var sent = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var arrived = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var answered = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{webhookPort}/");
        listener.Start();
        using var stop = new CancellationTokenSource();
        Task listening = ListenAsync(listener, arrived, stop.Token);

        var indicators = new StringBuilder("type,value\n");
        for (int i = 1; i < 255; i++)
        {
            indicators.Append(CultureInfo.InvariantCulture, $"ip,203.0.113.{i}\nip,198.51.100.{i}\n");
        }

        foreach ((string tenant, string key) in tenants)
        {
            await PostAsync(http, new Uri(server, $"api/v1/tenants/{tenant}/indicators?name=bench.csv"), key, indicators.ToString()).ConfigureAwait(false);
        }

        var records = new Records();
        int perTick = rate / TicksPerSecond / 2 / tenants.Count;
        long background = 0;
        int attacks = 0;
        var clock = Stopwatch.StartNew();
        long nextAttack = Stopwatch.GetTimestamp() + (long)(attackEvery.TotalSeconds * Stopwatch.Frequency);
        var inFlight = new List<Task>();
        for (int tick = 0; tick < seconds * TicksPerSecond; tick++)
        {
            DateTime now = DateTime.UtcNow;
            for (int t = 0; t < tenants.Count; t++)
            {
                inFlight.Add(PostAsync(http, events[t], tenants[t].Key, records.MailBatch(perTick, now)));
                inFlight.Add(PostAsync(http, events[t], tenants[t].Key, records.SignInBatch(perTick, now)));
                background += 2 * perTick;
            }

            if (Stopwatch.GetTimestamp() >= nextAttack)
            {
                int target = attacks % tenants.Count;
                attacks++;
                string address = attacks <= 254 ? $"203.0.113.{attacks}" : $"198.51.100.{attacks - 254}";
                sent[address] = Stopwatch.GetTimestamp();
                inFlight.Add(PostAsync(http, events[target], tenants[target].Key, Records.Attack(Guid.NewGuid(), DateTime.UtcNow, address))
                    .ContinueWith(_ => answered[address] = Stopwatch.GetTimestamp(), TaskScheduler.Default));
                nextAttack += (long)(attackEvery.TotalSeconds * Stopwatch.Frequency);
            }

            inFlight.RemoveAll(t => t.IsCompleted);
            TimeSpan wait = TimeSpan.FromSeconds((tick + 1) / (double)TicksPerSecond) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait).ConfigureAwait(false);
            }
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
        double loadSeconds = clock.Elapsed.TotalSeconds;

        // The last attacks' incidents may still be on their way.
        var grace = Stopwatch.StartNew();
        while (arrived.Count < sent.Count && grace.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(100).ConfigureAwait(false);
        }

        await stop.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        await listening.ConfigureAwait(false);

        double[] latencies = [.. sent.Where(s => arrived.ContainsKey(s.Key)).Select(s => (arrived[s.Key] - s.Value) / (double)Stopwatch.Frequency).Order()];
        double[] answers = [.. sent.Where(s => answered.ContainsKey(s.Key)).Select(s => (answered[s.Key] - s.Value) / (double)Stopwatch.Frequency).Order()];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"background: {background:N0} records to {tenants.Count} tenant(s) in {loadSeconds:F1} s ({background / loadSeconds:N0} records/s), {_refused} batch(es) refused with 429 and sent again; attacks: {sent.Count}, announced: {latencies.Length}"));
        if (latencies.Length == 0)
        {
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"request to its answer (baseline): p50 {Percentile(answers, 0.50) * 1000:F0} ms, p99 {Percentile(answers, 0.99) * 1000:F0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"request to webhook: p50 {Percentile(latencies, 0.50) * 1000:F0} ms, p90 {Percentile(latencies, 0.90) * 1000:F0} ms, p99 {Percentile(latencies, 0.99) * 1000:F0} ms, max {latencies[^1] * 1000:F0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"webhook / answer at p99: {Percentile(latencies, 0.99) / Percentile(answers, 0.99):F1}"));
        return latencies.Length == sent.Count ? 0 : 1;
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>Batches the server refused with 429 and sent again after its <c>Retry-After</c>.</summary>
    private static int _refused;

    /// <summary>Posts a batch as a well-behaved sender does: a 429 is sent again after its <c>Retry-After</c>.</summary>
    private static async Task PostAsync(HttpClient http, Uri uri, string key, string body)
    {
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using HttpResponseMessage response = await http.SendAsync(request).ConfigureAwait(false);
            if ((int)response.StatusCode == 429)
            {
                Interlocked.Increment(ref _refused);
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                continue;
            }

            if ((int)response.StatusCode != 200)
            {
                throw new HttpRequestException($"{uri.AbsolutePath}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
            }

            return;
        }
    }

    private static async Task ListenAsync(HttpListener listener, ConcurrentDictionary<string, long> arrived, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().WaitAsync(stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            long at = Stopwatch.GetTimestamp();
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                string body = await reader.ReadToEndAsync(stop).ConfigureAwait(false);
                foreach (Match match in AttackAddress().Matches(body))
                {
                    arrived.TryAdd(match.Value, at);
                }
            }

            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    [GeneratedRegex(@"(203\.0\.113|198\.51\.100)\.\d{1,3}\b")]
    private static partial Regex AttackAddress();
}
