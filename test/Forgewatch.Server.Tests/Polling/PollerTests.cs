using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Forgewatch.Server.Metrics;
using Forgewatch.Server.Polling;
using Forgewatch.Server.Tenants;

namespace Forgewatch.Server.Tests.Polling;

/// <summary>The Management Activity API and Graph sign-in pollers against <see cref="FakeMicrosoftApis"/>.</summary>
public class PollerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Poll_AllSources_StoresEveryRecordOnceAndFetchesEachBlobOnce()
    {
        await using PollingRig rig = await PollingRig.StartAsync();
        HashSet<string> served = FixtureLogs.Serve(rig.Apis, PollingRig.ContosoTid);

        await PollingRig.PollAsync(rig.Service(rig.Contoso()), Ct);

        Assert.Equal(served, rig.StoredIds("contoso"));
        Assert.Equal(served.Count, rig.Store.CountEvents("contoso"));
        Assert.Equal(0, rig.Store.CountEvents("fabrikam"));
        string[] blobs = [.. rig.Apis.Requests.Where(r => r.Path.Contains("/activity/feed/audit/", StringComparison.Ordinal)).Select(r => r.Path)];
        Assert.Equal(8, blobs.Length);
        Assert.Equal(blobs.Length, blobs.Distinct().Count());
        // Three Exchange blobs in one window: the listing's second page came through NextPageUri.
        Assert.Contains(rig.Apis.Requests, r => r.Path.EndsWith("/subscriptions/content", StringComparison.Ordinal) && r.Query.Contains("nextPage=2", StringComparison.Ordinal));
        Assert.Equal(3, rig.Apis.Count(r => r.Method == "POST" && r.Path.EndsWith("/subscriptions/start", StringComparison.Ordinal) && r.Status == 200));
        Assert.Equal(4, rig.Apis.Count(r => r.Path.EndsWith("/auditLogs/signIns", StringComparison.Ordinal) && r.Status == 200));
        Assert.All(rig.Apis.Requests.Where(r => r.Path.StartsWith("/manage/", StringComparison.Ordinal)), r => Assert.Contains("PublisherIdentifier=" + PollingRig.ContosoTid, r.Query, StringComparison.Ordinal));
        // Every answer was a success: no window was too long or too old for the API.
        Assert.All(rig.Apis.Requests, r => Assert.True(r.Status is 200, $"{r.Method} {r.Path}{r.Query}: {r.Status}"));
        Assert.DoesNotContain(rig.Log.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task Poll_SubscriptionAlreadyEnabled_TakenAsEnabled()
    {
        await using PollingRig rig = await PollingRig.StartAsync();
        HashSet<string> served = FixtureLogs.Serve(rig.Apis, PollingRig.ContosoTid);
        await PollingRig.PollAsync(rig.Service(rig.Contoso()), Ct);
        rig.Apis.HideSubscriptions = true;
        rig.Apis.AddContent(PollingRig.ContosoTid, "Audit.Exchange", "late", DateTimeOffset.UtcNow.AddSeconds(-30), FixtureLogs.Array(FixtureLogs.ExchangeRecords().Take(1)));

        await PollingRig.PollAsync(rig.Service(rig.Contoso()), Ct);

        Assert.Equal(3, rig.Apis.Count(r => r.Path.EndsWith("/subscriptions/start", StringComparison.Ordinal) && r.Status == 400));
        Assert.Empty(rig.Log.Messages(6309));
        Assert.Equal(1, rig.Apis.Count(r => r.Path.EndsWith("/audit/late", StringComparison.Ordinal) && r.Status == 200));
        Assert.Equal(served, rig.StoredIds("contoso"));
    }

    [Fact]
    public async Task Poll_ThrottledAndUnavailable_WaitsForRetryAfterAndTheDataArrives()
    {
        await using PollingRig rig = await PollingRig.StartAsync();
        HashSet<string> served = FixtureLogs.Serve(rig.Apis, PollingRig.ContosoTid);
        rig.Apis.Inject(r => r.Path.Value!.EndsWith("/subscriptions/list", StringComparison.Ordinal), 429, DateTimeOffset.UtcNow.AddSeconds(2).ToString("R"));
        rig.Apis.Inject(r => r.Path.Value!.EndsWith("/subscriptions/content", StringComparison.Ordinal), 429, "1");
        rig.Apis.Inject(r => r.Path.Value!.EndsWith("/audit/exchange-2", StringComparison.Ordinal), 503, "1");
        rig.Apis.Inject(r => r.Path.Value!.EndsWith("/auditLogs/signIns", StringComparison.Ordinal) && r.Query.ContainsKey("$skiptoken"), 429, "1");
        rig.Apis.Inject(r => r.Path.Value!.EndsWith("/audit/general-0", StringComparison.Ordinal), 500, null, times: 2);

        await PollingRig.PollAsync(rig.Service(rig.Contoso()), Ct);

        Assert.Equal(served, rig.StoredIds("contoso"));
        AssertWaited(rig, "/subscriptions/content", 429, TimeSpan.FromSeconds(0.9));
        AssertWaited(rig, "/audit/exchange-2", 503, TimeSpan.FromSeconds(0.9));
        AssertWaited(rig, "/subscriptions/list", 429, TimeSpan.FromSeconds(0.5));
        AssertWaited(rig, "/auditLogs/signIns", 429, TimeSpan.FromSeconds(0.9));
        Assert.Equal(3, rig.Apis.Count(r => r.Path.EndsWith("/audit/general-0", StringComparison.Ordinal)));
        Assert.Equal(4, rig.Log.Messages(6305).Count());
        Assert.Empty(rig.Log.Messages(6303));
    }

    [Fact]
    public async Task Poll_ThrottledPastTheAttempts_FailsLoggedAndTheNextPollGetsIt()
    {
        await using PollingRig rig = await PollingRig.StartAsync();
        HashSet<string> served = FixtureLogs.Serve(rig.Apis, PollingRig.ContosoTid);
        rig.Apis.Inject(r => r.Path.Value!.EndsWith("/audit/exchange-1", StringComparison.Ordinal), 429, "0", times: 4);

        await PollingRig.PollAsync(rig.Service(rig.Contoso()), Ct);

        Assert.Contains(rig.Log.Messages(6316), m => m.Contains("Audit.Exchange", StringComparison.Ordinal) && m.Contains("429", StringComparison.Ordinal));
        Assert.NotEqual(served, rig.StoredIds("contoso"));

        await PollingRig.PollAsync(rig.Service(rig.Contoso()), Ct);

        Assert.Equal(served, rig.StoredIds("contoso"));
        Assert.Equal(1, rig.Apis.Count(r => r.Path.EndsWith("/audit/exchange-0", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Poll_RestartInTheMiddle_ResumesFromTheCheckpointWithoutFetchingCommittedContentAgain()
    {
        await using PollingRig rig = await PollingRig.StartAsync();
        HashSet<string> served = FixtureLogs.Serve(rig.Apis, PollingRig.ContosoTid);
        Task held = rig.Apis.HangOn(r => r.Path.Value!.EndsWith("/audit/exchange-3", StringComparison.Ordinal));
        using (var crash = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            PollingService first = rig.Service(rig.Contoso());
            Task polling = PollingRig.PollAsync(first, crash.Token);
            await held.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            await crash.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => polling);
        }

        // Blobs 0-2 (13 records) were committed before the crash.
        Assert.Equal(13, rig.Store.CountEvents("contoso"));

        await PollingRig.PollAsync(rig.Service(rig.Contoso()), Ct);

        Assert.Equal(served, rig.StoredIds("contoso"));
        foreach (string blob in new[] { "exchange-0", "exchange-1", "exchange-2", "exchange-4", "general-0", "aad-0", "aad-empty" })
        {
            Assert.Equal(1, rig.Apis.Count(r => r.Path.EndsWith("/audit/" + blob, StringComparison.Ordinal)));
        }

        Assert.Equal(2, rig.Apis.Count(r => r.Path.EndsWith("/audit/exchange-3", StringComparison.Ordinal)));

        // And once more: nothing new is listed, nothing is fetched, and the sign-in query starts at the checkpoint.
        int before = rig.Apis.Requests.Count;
        await PollingRig.PollAsync(rig.Service(rig.Contoso()), Ct);

        Served[] third = [.. rig.Apis.Requests.Skip(before)];
        Assert.DoesNotContain(third, r => r.Path.Contains("/activity/feed/audit/", StringComparison.Ordinal));
        Served signIns = Assert.Single(third, r => r.Path.EndsWith("/auditLogs/signIns", StringComparison.Ordinal));
        Assert.Equal(0, signIns.Items);
        Assert.Equal(served.Count, rig.Store.CountEvents("contoso"));
    }

    [Fact]
    public async Task Poll_RestartBetweenSignInPages_GoesOnFromTheSavedNextLink()
    {
        await using PollingRig rig = await PollingRig.StartAsync();
        HashSet<string> served = [.. FixtureLogs.SignIns().Select(s => (string)s["id"]!)];
        rig.Apis.AddSignIns(PollingRig.ContosoTid, FixtureLogs.SignIns());
        Task held = rig.Apis.HangOn(r => r.Query.TryGetValue("$skiptoken", out var token) && token == "o8");
        PollerOptions graph = rig.Contoso() with { Sources = [PollerOptions.GraphSignIns] };
        using (var crash = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            Task polling = PollingRig.PollAsync(rig.Service(graph), crash.Token);
            await held.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            await crash.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => polling);
        }

        Assert.Equal(8, rig.Store.CountEvents("contoso"));
        int before = rig.Apis.Requests.Count;

        await PollingRig.PollAsync(rig.Service(graph), Ct);

        Served[] resumed = [.. rig.Apis.Requests.Skip(before).Where(r => r.Path.EndsWith("/auditLogs/signIns", StringComparison.Ordinal))];
        Assert.Equal(["o8", "o12"], resumed.Select(r => r.Query[(r.Query.IndexOf("$skiptoken=", StringComparison.Ordinal) + "$skiptoken=".Length)..]));
        Assert.Equal(served, rig.StoredIds("contoso"));
    }

    [Fact]
    public async Task Poll_WrongSecret_LoggedWithoutTheSecretNoDataAndTheOtherTenantPolls()
    {
        await using PollingRig rig = await PollingRig.StartAsync();
        FixtureLogs.Serve(rig.Apis, PollingRig.ContosoTid);
        HashSet<string> fabrikam = FixtureLogs.Serve(rig.Apis, PollingRig.FabrikamTid);
        const string Wrong = "not~the~secret~4Hq.Lm8Zp";

        await PollingRig.PollAsync(rig.Service(rig.Contoso(Wrong), rig.Fabrikam()), Ct);

        Assert.Equal(0, rig.Store.CountEvents("contoso"));
        Assert.Equal(fabrikam, rig.StoredIds("fabrikam"));
        string[] refused = [.. rig.Log.Messages(6304)];
        Assert.Equal(2, refused.Length);
        Assert.All(refused, m => Assert.Contains("AADSTS7000215", m, StringComparison.Ordinal));
        Assert.All(refused, m => Assert.Contains("contoso", m, StringComparison.Ordinal));
        Assert.DoesNotContain(Wrong, rig.Log.All, StringComparison.Ordinal);
        Assert.DoesNotContain(PollingRig.FabrikamSecret, rig.Log.All, StringComparison.Ordinal);
        Assert.DoesNotContain(rig.Apis.Requests, r => r.Path.Contains(PollingRig.ContosoTid, StringComparison.Ordinal) && !r.Path.StartsWith("/login/", StringComparison.Ordinal));
        // A token refusal is not retried within the poll: one request per source.
        Assert.Equal(2, rig.Apis.Count(r => r.Path == $"/login/{PollingRig.ContosoTid}/oauth2/v2.0/token"));
    }

    [Fact]
    public async Task Poll_OverlapAndRepeatedRecords_StoredOnce()
    {
        await using PollingRig rig = await PollingRig.StartAsync();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        List<JsonObject> exchange = FixtureLogs.ExchangeRecords();
        // The same records in two blobs of two content types, and a blob inside the overlap of the next poll.
        rig.Apis.AddContent(PollingRig.ContosoTid, "Audit.Exchange", "a", now.AddHours(-3), FixtureLogs.Array(exchange.Take(10)));
        rig.Apis.AddContent(PollingRig.ContosoTid, "Audit.General", "b", now.AddHours(-3), FixtureLogs.Array(exchange.Skip(5).Take(10)));
        rig.Apis.AddContent(PollingRig.ContosoTid, "Audit.Exchange", "recent", now.AddMinutes(-2), FixtureLogs.Array(exchange.Skip(15)));
        JsonObject recent = FixtureLogs.SignIns()[0];
        recent["createdDateTime"] = now.AddMinutes(-2).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        rig.Apis.AddSignIns(PollingRig.ContosoTid, [recent]);

        await PollingRig.PollAsync(rig.Service(rig.Contoso()), Ct);
        Assert.Equal(exchange.Count + 1, rig.Store.CountEvents("contoso"));
        int before = rig.Apis.Requests.Count;

        await PollingRig.PollAsync(rig.Service(rig.Contoso()), Ct);

        Served[] second = [.. rig.Apis.Requests.Skip(before)];
        // The overlap listed the recent blob again and the query returned the recent sign-in again...
        Assert.Contains(second, r => r.Path.EndsWith("/subscriptions/content", StringComparison.Ordinal) && r.Query.Contains("contentType=Audit.Exchange", StringComparison.Ordinal) && r.Items == 1);
        Assert.Equal(1, Assert.Single(second, r => r.Path.EndsWith("/auditLogs/signIns", StringComparison.Ordinal)).Items);
        // ...but the blob was not fetched again, and nothing was stored twice.
        Assert.DoesNotContain(second, r => r.Path.Contains("/activity/feed/audit/", StringComparison.Ordinal));
        Assert.Equal(exchange.Count + 1, rig.Store.CountEvents("contoso"));
    }

    [Fact]
    public async Task Poll_TokenRevoked_RenewedOnceAndThePollGoesOn()
    {
        await using PollingRig rig = await PollingRig.StartAsync();
        HashSet<string> served = FixtureLogs.Serve(rig.Apis, PollingRig.ContosoTid);
        PollingService service = rig.Service(rig.Contoso());
        await PollingRig.PollAsync(service, Ct);
        rig.Apis.RevokeTokens();
        rig.Apis.AddContent(PollingRig.ContosoTid, "Audit.Exchange", "late", DateTimeOffset.UtcNow.AddSeconds(-30), FixtureLogs.Array(FixtureLogs.ExchangeRecords().Take(1)));

        await PollingRig.PollAsync(service, Ct);

        Assert.Equal(4, rig.Apis.Count(r => r.Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal)));
        Assert.Equal(2, rig.Apis.Count(r => r.Status == 401));
        Assert.Equal(1, rig.Apis.Count(r => r.Path.EndsWith("/audit/late", StringComparison.Ordinal) && r.Status == 200));
        Assert.Equal(served, rig.StoredIds("contoso"));
        Assert.Empty(rig.Log.Messages(6303));
    }

    [Fact]
    public async Task Poll_ContentUriOnAnotherHost_NotFollowed()
    {
        await using PollingRig rig = await PollingRig.StartAsync();
        rig.Apis.AddContent(PollingRig.ContosoTid, "Audit.Exchange", "elsewhere", DateTimeOffset.UtcNow.AddHours(-1), "[]", contentUri: "http://127.0.0.2:9/steal-the-token");

        await PollingRig.PollAsync(rig.Service(rig.Contoso() with { Sources = [PollerOptions.ManagementActivity] }), Ct);

        Assert.Contains(rig.Log.Messages(6316), m => m.Contains("127.0.0.2", StringComparison.Ordinal) && m.Contains("not followed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Poll_BlobOverTheSizeLimit_SkippedWithAWarningAndNotFetchedAgain()
    {
        await using PollingRig rig = await PollingRig.StartAsync(maxBodyBytes: 8192);
        List<JsonObject> exchange = FixtureLogs.ExchangeRecords();
        rig.Apis.AddContent(PollingRig.ContosoTid, "Audit.Exchange", "big", DateTimeOffset.UtcNow.AddHours(-2), FixtureLogs.Array(exchange));
        rig.Apis.AddContent(PollingRig.ContosoTid, "Audit.Exchange", "small", DateTimeOffset.UtcNow.AddHours(-1), FixtureLogs.Array(exchange.Take(1)));
        PollerOptions management = rig.Contoso() with { Sources = [PollerOptions.ManagementActivity] };

        await PollingRig.PollAsync(rig.Service(management), Ct);
        await PollingRig.PollAsync(rig.Service(management), Ct);

        Assert.Equal(1, rig.Store.CountEvents("contoso"));
        Assert.Contains(rig.Log.Messages(6311), m => m.Contains("content big", StringComparison.Ordinal) && m.Contains("MaxBatchBytes", StringComparison.Ordinal));
        Assert.Equal(1, rig.Apis.Count(r => r.Path.EndsWith("/audit/big", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Poll_UnknownTenant_SkippedWithAWarning()
    {
        await using PollingRig rig = await PollingRig.StartAsync();
        FixtureLogs.Serve(rig.Apis, PollingRig.ContosoTid);

        await PollingRig.PollAsync(rig.Service(rig.Contoso() with { Tenant = "northwind" }), Ct);

        Assert.Equal(2, rig.Log.Messages(6310).Count());
        Assert.Empty(rig.Apis.Requests);
    }

    [Fact]
    public async Task Poll_Metrics_RecordsRequestsAndThrottlesPerSource()
    {
        await using PollingRig rig = await PollingRig.StartAsync();
        // A tenant of its own: the meter is process-wide, and other tests poll contoso at the same time.
        string tenant = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        rig.Store.AddTenant(new Tenant(tenant, ["soc@metrics.example"], null, DateTimeOffset.UtcNow), IngestionKey.Hash(IngestionKey.New()));
        FixtureLogs.Serve(rig.Apis, PollingRig.ContosoTid);
        rig.Apis.Inject(r => r.Path.Value!.EndsWith("/auditLogs/signIns", StringComparison.Ordinal), 429, "0");
        var counts = new ConcurrentDictionary<(string Name, string Source), long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ServerMetrics.MeterName && instrument.Name.StartsWith("forgewatch.poll.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            Dictionary<string, object?> t = [];
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                t[tag.Key] = tag.Value;
            }

            if (Equals(t.GetValueOrDefault("tenant"), tenant))
            {
                counts.AddOrUpdate((instrument.Name, (string)t["source"]!), value, (_, sum) => sum + value);
            }
        });
        listener.Start();

        await PollingRig.PollAsync(rig.Service(rig.Contoso() with { Tenant = tenant }), Ct);

        Assert.Equal(43, counts[("forgewatch.poll.records", PollerOptions.ManagementActivity)]);
        Assert.Equal(13, counts[("forgewatch.poll.records", PollerOptions.GraphSignIns)]);
        Assert.Equal(1, counts[("forgewatch.poll.throttled", PollerOptions.GraphSignIns)]);
        Assert.False(counts.ContainsKey(("forgewatch.poll.throttled", PollerOptions.ManagementActivity)));
        // Each source's token request, and every request to its API, retries included.
        Assert.Equal(1 + rig.Apis.Count(r => r.Path.StartsWith("/manage/", StringComparison.Ordinal)), counts[("forgewatch.poll.requests", PollerOptions.ManagementActivity)]);
        Assert.Equal(1 + rig.Apis.Count(r => r.Path.StartsWith("/graph/", StringComparison.Ordinal)), counts[("forgewatch.poll.requests", PollerOptions.GraphSignIns)]);
    }

    [Fact]
    public void RetryAfter_SecondsOrDate_TheWaitAsked()
    {
        DateTimeOffset now = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(7), PollHttp.RetryAfter(new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7)), now));
        Assert.Equal(TimeSpan.FromSeconds(30), PollHttp.RetryAfter(new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddSeconds(30)), now));
        Assert.Equal(TimeSpan.Zero, PollHttp.RetryAfter(new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddSeconds(-30)), now));
        Assert.Null(PollHttp.RetryAfter(null, now));
    }

    /// <summary>The request after the first <paramref name="status"/> answer to <paramref name="path"/> came at
    /// least <paramref name="wait"/> later.</summary>
    private static void AssertWaited(PollingRig rig, string path, int status, TimeSpan wait)
    {
        Served[] requests = [.. rig.Apis.Requests.Where(r => r.Path.EndsWith(path, StringComparison.Ordinal)).OrderBy(r => r.At)];
        int refused = Array.FindIndex(requests, r => r.Status == status);
        Assert.True(refused >= 0 && refused + 1 < requests.Length, $"no retry after {status} on {path}");
        TimeSpan waited = requests[refused + 1].At - requests[refused].At;
        Assert.True(waited >= wait, $"{path}: retried after {waited.TotalSeconds:0.###} s");
        Assert.Equal(200, requests[refused + 1].Status);
    }
}
