using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Forgewatch.Core.Events;
using Forgewatch.Server.Storage;

namespace Forgewatch.EndToEnd.Serve;

/// <summary>
/// The fault test of issue 6 for ingestion: <c>forgewatch serve</c> killed with SIGKILL while two senders
/// push batches. After a restart every batch it acknowledged is there, and sending every batch again (as
/// senders retry what was not acknowledged) stores each record exactly once.
/// </summary>
public class ServeCrashTests
{
    [Fact]
    public async Task KilledDuringIngestion_AcknowledgedRecordsKept_RetriesStoreEachOnce()
    {
        (string work, List<string> lines, string[] _) = SimulatedTenant.SimulateAndScan();
        string data = Path.Combine(work, "data");
        string key = CliRunner.Run("tenant", "add", "contoso", "--admin", "soc@contoso.example", "--data", data).Stdout.Trim();
        string[][] batches = [.. lines.Chunk(40)];
        int port = ServeProcess.FreePort();
        var acknowledged = new ConcurrentBag<int>();

        using (Process first = ServeProcess.Start(data, port))
        {
            using HttpClient client = await ClientFor(port, key, first);
            using var stop = new CancellationTokenSource();
            int next = -1;
            Task[] senders = [.. Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                int i;
                while (!stop.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < batches.Length)
                {
                    try
                    {
                        using HttpResponseMessage response = await Post(client, batches[i]);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            acknowledged.Add(i);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return;
                    }
                }
            }))];

            await ServedTenant.WaitFor(() => acknowledged.Count >= batches.Length / 3, seconds: 60);
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync(TestContext.Current.CancellationToken);
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }

        Assert.InRange(acknowledged.Count, 1, batches.Length - 1);
        HashSet<string> acknowledgedIds = [.. acknowledged.SelectMany(i => batches[i]).Select(RecordId)];
        HashSet<string> allIds = [.. lines.Select(RecordId)];

        using (Process second = ServeProcess.Start(data, port))
        {
            using HttpClient client = await ClientFor(port, key, second);
            using (SqliteStore store = SqliteStore.Open(data))
            {
                string[] stored = [.. store.ReadEvents("contoso").Select(e => e.RecordId)];
                Assert.Equal(stored.Length, stored.Distinct().Count());
                Assert.Subset(stored.ToHashSet(), acknowledgedIds);
            }

            int storedByRetries = 0;
            foreach (string[] batch in batches)
            {
                using HttpResponseMessage response = await Post(client, batch);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using JsonDocument receipt = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
                storedByRetries += receipt.RootElement.GetProperty("stored").GetInt32();
            }

            using (SqliteStore store = SqliteStore.Open(data))
            {
                IReadOnlyList<AuditEvent> events = store.ReadEvents("contoso");
                Assert.Equal(allIds.Count, events.Count);
                Assert.Equal(allIds, events.Select(e => e.RecordId).ToHashSet());
            }

            Assert.True(storedByRetries <= allIds.Count - acknowledgedIds.Count, $"The retries stored {storedByRetries} records; at most {allIds.Count - acknowledgedIds.Count} were missing.");
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The record's id as the readers take it: UAL <c>Id</c>, sign-in <c>id</c>.</summary>
    private static string RecordId(string line)
    {
        using JsonDocument record = JsonDocument.Parse(line);
        return (record.RootElement.TryGetProperty("Id", out JsonElement id) ? id : record.RootElement.GetProperty("id")).GetString()!;
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string[] batch)
    {
        using var content = new StringContent(string.Join('\n', batch), Encoding.UTF8);
        return await client.PostAsync("/api/v1/tenants/contoso/events", content);
    }

    private static async Task<HttpClient> ClientFor(int port, string key, Process server)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        await ServeProcess.WaitForHealthAsync(client, server);
        return client;
    }
}
