using System.Text.Json;
using Forgewatch.Server.Notifications;
using Forgewatch.Server.Tests.Storage;

namespace Forgewatch.EndToEnd.Serve;

/// <summary>
/// The server finds what <c>scan</c> finds: a simulated tenant with attacks is scanned by the real command,
/// then pushed to the real server in batches, in shuffled order; the incidents the API serves are the
/// scan's, and the tenant's webhook gets one signed message per incident, none for what the partial data
/// suggested on the way.
/// </summary>
public class ServeDetectionTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task PushedInShuffledBatches_SameIncidentsAsScan_OneSignedWebhookEach(StoreKind kind)
    {
        using TestDatabase database = TestDatabase.Create(kind);
        (string work, List<string> lines, string[] expected) = SimulatedTenant.SimulateAndScan();
        await using WebhookListener hook = await WebhookListener.StartAsync();
        await using ServedTenant served = await ServedTenant.StartAsync(work, hook, new()
        {
            ["Forgewatch:PostgreSQL"] = database.ConnectionString,
            ["Forgewatch:NotificationPollSeconds"] = "1",
            ["Forgewatch:NotificationSettleSeconds"] = "5",
        });

        await served.PushShuffledAsync(lines, seed: 11);

        Assert.Equal(expected, await served.WaitForIncidentsAsync(expected.Length));

        // One message per incident, signed with the tenant's secret, each delivery id once.
        await ServedTenant.WaitFor(() => hook.Received.Count >= expected.Length);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Equal(expected.Length, hook.Received.Count);
        foreach ((IReadOnlyDictionary<string, string> headers, byte[] body) in hook.Received)
        {
            Assert.Equal(WebhookSender.Signature(served.WebhookSecret, body), headers[WebhookSender.SignatureHeader]);
            using JsonDocument message = JsonDocument.Parse(body);
            Assert.Equal(NotificationPayload.NewType, message.RootElement.GetProperty("type").GetString());
            Assert.Equal("northwind", message.RootElement.GetProperty("tenant").GetString());
        }

        Assert.Equal(expected.Length, hook.Received.Select(r => r.Headers[WebhookSender.DeliveryHeader]).Distinct().Count());
        Assert.Equal(0, served.Store.PendingNotifications());
    }

    /// <summary>A tenant whose webhook is a Slack (or Teams) incoming webhook gets chat messages, still signed.</summary>
    [Fact]
    public async Task PushedInOrder_IncidentsAnnouncedWhenBothLogsPassed_NotAfterTheSettleTime()
    {
        (string work, List<string> lines, string[] expected) = SimulatedTenant.SimulateAndScan();
        await using WebhookListener hook = await WebhookListener.StartAsync();
        await using ServedTenant served = await ServedTenant.StartAsync(work, hook, new()
        {
            ["Forgewatch:NotificationPollSeconds"] = "600",
            ["Forgewatch:NotificationSettleSeconds"] = "3600",
            ["Forgewatch:AllowedLatenessSeconds"] = "0",
        });

        await served.PushInOrderAsync(lines);

        Assert.Equal(expected, await served.WaitForIncidentsAsync(expected.Length));

        // Each incident is final as soon as both logs passed its first alert: announced at once, without the
        // hour of settling and without the ten-minute poll; one that grows as the attack goes on gets a
        // message per rise of its severity, and nothing else is announced.
        string[] ids = [.. expected.Select(e => e.Split(" | ")[0])];
        await ServedTenant.WaitFor(() => Messages(hook).Count(m => m.Type == NotificationPayload.NewType) >= ids.Length);
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        (string Type, string Id, string Severity)[] messages = Messages(hook);
        Assert.Equal(ids.Order(StringComparer.Ordinal), messages.Where(m => m.Type == NotificationPayload.NewType).Select(m => m.Id).Order(StringComparer.Ordinal));
        Assert.All(messages, m => Assert.Contains(m.Id, ids));
        Assert.All(messages.Where(m => m.Type != NotificationPayload.NewType), m => Assert.Equal(NotificationPayload.RaisedType, m.Type));
        foreach (string incident in expected)
        {
            string[] fields = incident.Split(" | ");
            Assert.Equal(fields[1], messages.Last(m => m.Id == fields[0]).Severity);
        }
    }

    private static (string Type, string Id, string Severity)[] Messages(WebhookListener hook) =>
        [.. hook.Received.Select(r =>
        {
            using JsonDocument message = JsonDocument.Parse(r.Body);
            JsonElement root = message.RootElement;
            return (root.GetProperty("type").GetString()!, root.GetProperty("incident").GetProperty("id").GetString()!, root.GetProperty("severity").GetString()!);
        })];

    [Fact]
    public async Task SlackFormat_OneSignedChatMessagePerIncident()
    {
        (string work, List<string> lines, string[] expected) = SimulatedTenant.SimulateAndScan();
        await using WebhookListener hook = await WebhookListener.StartAsync();
        await using ServedTenant served = await ServedTenant.StartAsync(work, hook, Forgewatch.Server.Tenants.WebhookFormats.Slack, new()
        {
            ["Forgewatch:NotificationPollSeconds"] = "1",
            ["Forgewatch:NotificationSettleSeconds"] = "3",
        });

        await served.PushShuffledAsync(lines, seed: 2);
        await served.WaitForIncidentsAsync(expected.Length);
        await ServedTenant.WaitFor(() => hook.Received.Count >= expected.Length);
        await Task.Delay(500, TestContext.Current.CancellationToken);

        Assert.Equal(expected.Length, hook.Received.Count);
        foreach ((IReadOnlyDictionary<string, string> headers, byte[] body) in hook.Received)
        {
            Assert.Equal(WebhookSender.Signature(served.WebhookSecret, body), headers[WebhookSender.SignatureHeader]);
            using JsonDocument message = JsonDocument.Parse(body);
            Assert.StartsWith("Forgewatch: new ", message.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
        }
    }

    /// <summary>A receiver that is down when the incidents are found delays their notifications; once it is
    /// back, each arrives, and only once.</summary>
    [Fact]
    public async Task WebhookDownThenBack_EveryNotificationDeliveredOnce()
    {
        (string work, List<string> lines, string[] expected) = SimulatedTenant.SimulateAndScan();
        await using WebhookListener hook = await WebhookListener.StartAsync();
        hook.Down = true;
        await using ServedTenant served = await ServedTenant.StartAsync(work, hook, new()
        {
            ["Forgewatch:NotificationPollSeconds"] = "1",
            ["Forgewatch:NotificationMaxBackoffSeconds"] = "1",
            ["Forgewatch:NotificationSettleSeconds"] = "5",
        });
        await served.PushShuffledAsync(lines, seed: 5);
        await served.WaitForIncidentsAsync(expected.Length);
        await ServedTenant.WaitFor(() => served.Store.PendingNotifications() == expected.Length);
        await Task.Delay(2500, TestContext.Current.CancellationToken);

        Assert.Empty(hook.Received);
        Assert.Equal(expected.Length, served.Store.PendingNotifications());

        hook.Down = false;
        await ServedTenant.WaitFor(() => served.Store.PendingNotifications() == 0);
        await Task.Delay(2500, TestContext.Current.CancellationToken);

        Assert.Equal(0, served.Store.PendingNotifications());
        Assert.Equal(expected.Length, hook.Received.Count);
        Assert.Equal(expected.Length, hook.Received.Select(r => r.Headers[WebhookSender.DeliveryHeader]).Distinct().Count());
    }
}
