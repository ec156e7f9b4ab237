using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Forgewatch.Testing;

namespace Forgewatch.Server.Tests.Metrics;

/// <summary>/metrics (Prometheus text) counts what ingestion did. The meter is process-wide, so these tests
/// run alone: servers of other tests in this process would add to the counts.</summary>
[Collection(nameof(MetricsEndpointTests))]
public partial class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_AfterBatches_CountsStoredDuplicateAndRefused()
    {
        await using TestServer server = await TestServer.StartAsync();
        byte[] body = File.ReadAllBytes(Path.Combine(RepositoryPaths.Exports, "ual", "collector", "ual-2023-06-07.jsonl"));
        byte[] broken = File.ReadAllBytes(Path.Combine(RepositoryPaths.Exports, "broken", "bad-lines.jsonl"));
        Assert.Equal(HttpStatusCode.OK, await Post(server, server.ContosoKey, body));
        Assert.Equal(HttpStatusCode.OK, await Post(server, server.ContosoKey, body));
        Assert.Equal(HttpStatusCode.BadRequest, await Post(server, server.ContosoKey, broken));
        Assert.Equal(HttpStatusCode.Unauthorized, await Post(server, "fwi_wrong", body));
        long stored = server.Store.CountEvents("contoso");

        string metrics = await ScrapeUntil(server, "forgewatch_batches_refused_total");

        Assert.Equal(stored, Value(metrics, "forgewatch_events_ingested_total", "tenant=\"contoso\""));
        Assert.Equal(stored, Value(metrics, "forgewatch_events_duplicates_total", "tenant=\"contoso\""));
        Assert.Equal(1, Value(metrics, "forgewatch_batches_refused_total", "reason=\"bad_batch\""));
        Assert.Equal(1, Value(metrics, "forgewatch_batches_refused_total", "reason=\"unauthorized\""));
        Assert.True(Value(metrics, "forgewatch_records_rejected_total", "") > 0);
        Assert.Equal(0, Value(metrics, "forgewatch_ingestion_queue_depth", ""));
        Assert.Equal(0, Value(metrics, "forgewatch_notifications_pending", ""));
        Assert.Contains("forgewatch_detection_lag_seconds", metrics, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> Post(TestServer server, string key, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/contoso/events") { Content = new ByteArrayContent(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using HttpResponseMessage response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    /// <summary>The exporter caches a scrape for a moment: scrape until <paramref name="name"/> shows.</summary>
    private static async Task<string> ScrapeUntil(TestServer server, string name)
    {
        string text = "";
        for (int i = 0; i < 50 && !text.Contains(name, StringComparison.Ordinal); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            text = await server.Client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        }

        return text;
    }

    /// <summary>The value of the sample of <paramref name="name"/> whose labels hold <paramref name="label"/>.</summary>
    private static double Value(string metrics, string name, string label)
    {
        foreach (Match match in Sample().Matches(metrics))
        {
            if (match.Groups["name"].Value == name && match.Groups["labels"].Value.Contains(label, StringComparison.Ordinal))
            {
                return double.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new Xunit.Sdk.XunitException($"No sample {name}{{{label}}} in:\n{metrics}");
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)\{(?<labels>[^}]*)\} (?<value>[-0-9.eE+]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}

[CollectionDefinition(nameof(MetricsEndpointTests), DisableParallelization = true)]
public sealed class MetricsRunAlone;
