using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Forgewatch.Server.Hosting;
using Forgewatch.Server.Notifications;
using Forgewatch.Server.Storage;
using Forgewatch.Server.Tenants;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Forgewatch.EndToEnd.Serve;

/// <summary>
/// The server finds what <c>scan</c> finds: a simulated tenant with attacks is scanned by the real command,
/// then pushed to the real server in batches, in shuffled order; the incidents the API serves are the
/// scan's, and the tenant's webhook gets one signed message per incident, none for what the partial data
/// suggested on the way.
/// </summary>
public class ServeDetectionTests
{
    [Fact]
    public async Task PushedInShuffledBatches_SameIncidentsAsScan_OneSignedWebhookEach()
    {
        (string work, List<string> lines, string[] expected) = SimulateAndScan();
        await using WebhookListener hook = await WebhookListener.StartAsync();
        (WebApplication server, HttpClient client, string secret) = await StartServer(work, hook, new()
        {
            ["Forgewatch:NotificationPollSeconds"] = "1",
            ["Forgewatch:NotificationSettleSeconds"] = "5",
        });
        try
        {
            await PushShuffled(client, lines, seed: 11);

            string[] served = await WaitForIncidents(client, expected.Length);
            Assert.Equal(expected, served);

            // One message per incident, signed with the tenant's secret, each delivery id once.
            await WaitFor(() => hook.Received.Count >= expected.Length);
            await Task.Delay(500, TestContext.Current.CancellationToken);
            Assert.Equal(expected.Length, hook.Received.Count);
            foreach ((IReadOnlyDictionary<string, string> headers, byte[] body) in hook.Received)
            {
                Assert.Equal(WebhookSender.Signature(secret, body), headers[WebhookSender.SignatureHeader]);
                using JsonDocument message = JsonDocument.Parse(body);
                Assert.Equal(NotificationPayload.NewType, message.RootElement.GetProperty("type").GetString());
                Assert.Equal("northwind", message.RootElement.GetProperty("tenant").GetString());
            }

            Assert.Equal(expected.Length, hook.Received.Select(r => r.Headers[WebhookSender.DeliveryHeader]).Distinct().Count());
            Assert.Equal(0, server.Services.GetRequiredService<IServerStore>().PendingNotifications());
        }
        finally
        {
            client.Dispose();
            await server.StopAsync(TestContext.Current.CancellationToken);
            await server.DisposeAsync();
        }
    }

    /// <summary>A receiver that is down when the incidents are found delays their notifications; once it is
    /// back, each arrives, and only once.</summary>
    [Fact]
    public async Task WebhookDownThenBack_EveryNotificationDeliveredOnce()
    {
        (string work, List<string> lines, string[] expected) = SimulateAndScan();
        await using WebhookListener hook = await WebhookListener.StartAsync();
        hook.Down = true;
        (WebApplication server, HttpClient client, string _) = await StartServer(work, hook, new()
        {
            ["Forgewatch:NotificationPollSeconds"] = "1",
            ["Forgewatch:NotificationMaxBackoffSeconds"] = "1",
            ["Forgewatch:NotificationSettleSeconds"] = "5",
        });
        try
        {
            IServerStore store = server.Services.GetRequiredService<IServerStore>();
            await PushShuffled(client, lines, seed: 5);
            await WaitForIncidents(client, expected.Length);
            await WaitFor(() => store.PendingNotifications() == expected.Length);
            await Task.Delay(2500, TestContext.Current.CancellationToken);

            Assert.Empty(hook.Received);
            Assert.Equal(expected.Length, store.PendingNotifications());

            hook.Down = false;
            await WaitFor(() => store.PendingNotifications() == 0);
            await Task.Delay(2500, TestContext.Current.CancellationToken);

            Assert.Equal(0, store.PendingNotifications());
            Assert.Equal(expected.Length, hook.Received.Count);
            Assert.Equal(expected.Length, hook.Received.Select(r => r.Headers[WebhookSender.DeliveryHeader]).Distinct().Count());
        }
        finally
        {
            client.Dispose();
            await server.StopAsync(TestContext.Current.CancellationToken);
            await server.DisposeAsync();
        }
    }

    /// <summary>A simulated tenant with two attacks, its cut records dropped; the lines, and the scan's
    /// incidents described.</summary>
    internal static (string Work, List<string> Lines, string[] Expected) SimulateAndScan()
    {
        string work = Path.Combine(Path.GetTempPath(), "forgewatch-e2e-serve", Guid.NewGuid().ToString("N"));
        Assert.Equal(0, CliRunner.Run("simulate", "--out", Path.Combine(work, "sim"), "--mailboxes", "12", "--days", "14", "--seed", "7", "--attack", "forged-token", "--attack", "app-impersonation").ExitCode);
        string logs = Path.Combine(work, "logs");
        Directory.CreateDirectory(logs);
        List<string> lines = [];
        foreach (string file in Directory.EnumerateFiles(Path.Combine(work, "sim", "logs")))
        {
            // The simulator cuts a few records in half on purpose; the server refuses a batch holding one.
            string[] whole = [.. File.ReadAllLines(file).Where(IsJson)];
            File.WriteAllLines(Path.Combine(logs, Path.GetFileName(file)), whole);
            lines.AddRange(whole);
        }

        CliResult scan = CliRunner.Run("scan", logs, "--out", Path.Combine(work, "scan"));
        Assert.Equal(0, scan.ExitCode);
        string[] expected = [.. File.ReadAllLines(Path.Combine(work, "scan", "incidents.jsonl")).Select(Describe).Order(StringComparer.Ordinal)];
        Assert.NotEmpty(expected);
        return (work, lines, expected);
    }

    internal static async Task<(WebApplication Server, HttpClient Client, string Secret)> StartServer(string work, WebhookListener? hook, Dictionary<string, string?> settings, params string[] admins)
    {
        string data = Path.Combine(work, "data");
        string key = IngestionKey.New();
        string secret = WebhookSecret.New();
        using (SqliteStore store = SqliteStore.Open(data))
        {
            store.AddTenant(new Tenant("northwind", admins.Length > 0 ? admins : ["soc@northwind.example"], hook?.Url, DateTimeOffset.UtcNow), IngestionKey.Hash(key), hook is null ? null : secret);
        }

        settings["Forgewatch:Data"] = data;
        settings["urls"] = "http://127.0.0.1:0";
        WebApplication server = ForgewatchServer.Build([], settings);
        await server.StartAsync(TestContext.Current.CancellationToken);
        string address = server.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        var client = new HttpClient { BaseAddress = new Uri(address) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return (server, client, secret);
    }

    /// <summary>Sign-ins and mail access mixed, late records before early ones: batches of 300 lines in a
    /// random order.</summary>
    internal static async Task PushShuffled(HttpClient client, List<string> lines, int seed)
    {
        var random = new Random(seed);
        foreach (string[] batch in lines.Chunk(300).OrderBy(_ => random.Next()))
        {
            using var content = new StringContent(string.Join('\n', batch), Encoding.UTF8);
            using HttpResponseMessage response = await client.PostAsync("/api/v1/tenants/northwind/events", content, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    internal static async Task<string[]> WaitForIncidents(HttpClient client, int count)
    {
        string[] served = [];
        for (int attempt = 0; attempt < 600; attempt++)
        {
            string json = await client.GetStringAsync("/api/v1/tenants/northwind/incidents", TestContext.Current.CancellationToken);
            using JsonDocument document = JsonDocument.Parse(json);
            served = [.. document.RootElement.EnumerateArray().Select(i => Describe(i.GetRawText())).Order(StringComparer.Ordinal)];
            if (served.Length >= count)
            {
                // Let a run that may still be going settle, then read again.
                await Task.Delay(1000, TestContext.Current.CancellationToken);
                json = await client.GetStringAsync("/api/v1/tenants/northwind/incidents", TestContext.Current.CancellationToken);
                using JsonDocument again = JsonDocument.Parse(json);
                return [.. again.RootElement.EnumerateArray().Select(i => Describe(i.GetRawText())).Order(StringComparer.Ordinal)];
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        return served;
    }

    internal static async Task WaitFor(Func<bool> condition, int seconds = 30)
    {
        for (int i = 0; i < seconds * 10 && !condition(); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>An incident by what must not depend on how records arrived: id, severity, detections,
    /// mailboxes, alerts and the exposure per mailbox.</summary>
    private static string Describe(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement i = document.RootElement;
        return string.Join(
            " | ",
            i.GetProperty("id").GetString(),
            i.GetProperty("severity").GetString(),
            string.Join(',', i.GetProperty("detections").EnumerateArray().Select(d => d.GetString())),
            string.Join(',', i.GetProperty("mailboxes").EnumerateArray().Select(d => d.GetString())),
            string.Join(',', i.GetProperty("alert_ids").EnumerateArray().Select(d => d.GetString())),
            string.Join(',', i.GetProperty("exposure").EnumerateArray().Select(e => $"{e.GetProperty("mailbox").GetString()}:{e.GetProperty("messages").GetInt32()}/{e.GetProperty("folders").GetInt32()}")));
    }

    private static bool IsJson(string line)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(line);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
