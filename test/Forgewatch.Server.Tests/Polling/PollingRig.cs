using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Forgewatch.Server.Detection;
using Forgewatch.Server.Ingestion;
using Forgewatch.Server.Metrics;
using Forgewatch.Server.Polling;
using Forgewatch.Server.Storage;
using Forgewatch.Server.Tenants;
using Forgewatch.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forgewatch.Server.Tests.Polling;

/// <summary>
/// Pollers against <see cref="FakeMicrosoftApis"/>, over a fresh store with the tenants <c>contoso</c> and
/// <c>fabrikam</c>. <see cref="Service"/> makes a new set of pollers each time (a restart); the store, and so
/// the checkpoints, stay. Timings are short, except that <c>Retry-After</c> is obeyed as sent.
/// </summary>
internal sealed class PollingRig : IAsyncDisposable
{
    public const string ContosoTid = "5b7f2b9e-2c4e-4a7d-9a41-3f1c0d8e6a21";
    public const string FabrikamTid = "8e2d6c1a-4b3f-4e5d-9c7b-1a2b3c4d5e6f";
    public const string ContosoClient = "0f3c2a1b-5d4e-4f60-8a7b-9c0d1e2f3a4b";
    public const string FabrikamClient = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d";
    public const string ContosoSecret = "contoso~secret~Q8x.VvR2pL9sK4mN7bT1";
    public const string FabrikamSecret = "fabrikam~secret~Z3y.WuE6hJ0cD5fG8aS2";

    private readonly string _data;
    private readonly HttpClient _http = new();
    private readonly ServerMetrics _metrics = new(() => 0, () => 0, () => 0);

    private PollingRig(FakeMicrosoftApis apis, string data)
    {
        Apis = apis;
        _data = data;
        Store = SqliteStore.Open(data);
        Store.AddTenant(new Tenant("contoso", ["sec@contoso.example"], null, DateTimeOffset.UtcNow), IngestionKey.Hash(IngestionKey.New()));
        Store.AddTenant(new Tenant("fabrikam", ["soc@fabrikam.example"], null, DateTimeOffset.UtcNow), IngestionKey.Hash(IngestionKey.New()));
        apis.AddApp(ContosoTid, ContosoClient, ContosoSecret);
        apis.AddApp(FabrikamTid, FabrikamClient, FabrikamSecret);
    }

    public FakeMicrosoftApis Apis { get; }

    public SqliteStore Store { get; }

    public ListLogger Log { get; } = new();

    public PollerTiming Timing { get; init; } = new()
    {
        MaxAttempts = 4,
        FirstBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        MaxRetryAfter = TimeSpan.FromSeconds(5),
        RequestTimeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>Forgewatch:MaxBatchBytes of the pollers.</summary>
    public long MaxBodyBytes { get; init; } = 64L << 20;

    /// <summary>A lookback that reaches the fixtures' June 2023 sign-ins.</summary>
    public static int LookbackHours => (int)(DateTimeOffset.UtcNow - new DateTimeOffset(2023, 6, 1, 0, 0, 0, TimeSpan.Zero)).TotalHours;

    public static async Task<PollingRig> StartAsync(long maxBodyBytes = 64L << 20) =>
        new(await FakeMicrosoftApis.StartAsync(), Path.Combine(Path.GetTempPath(), "forgewatch-polling-tests", Guid.NewGuid().ToString("N"))) { MaxBodyBytes = maxBodyBytes };

    public PollerOptions Contoso(string? secret = null) => Poller("contoso", ContosoTid, ContosoClient, secret ?? ContosoSecret);

    public PollerOptions Fabrikam(string? secret = null) => Poller("fabrikam", FabrikamTid, FabrikamClient, secret ?? FabrikamSecret);

    public PollerOptions Poller(string tenant, string tid, string clientId, string secret) => new()
    {
        Tenant = tenant,
        DirectoryTenantId = tid,
        ClientId = clientId,
        ClientSecret = secret,
        IntervalSeconds = 1,
        LoginUrl = Apis.LoginUrl,
        ManagementUrl = Apis.ManagementUrl,
        GraphUrl = Apis.GraphUrl,
        StartLookbackHours = LookbackHours,
    };

    /// <summary>New pollers for <paramref name="pollers"/> over the same store: what a restarted server runs.</summary>
    public PollingService Service(params PollerOptions[] pollers)
    {
        var reader = new BatchReader(Path.Combine(_data, "incoming"), MaxBodyBytes);
        var detection = new DetectionService(Store, TimeProvider.System, StreamSettings.Default, TimeSpan.FromMinutes(1), new Forgewatch.Server.Notifications.OutboxSignal(), NullLogger<DetectionService>.Instance);
        var ingestion = new PolledIngestion(reader, Store, detection, _metrics, TimeProvider.System, Log);
        var dependencies = new PollDependencies(() => _http, ingestion, Store, _metrics, TimeProvider.System, Log, Timing, MaxBodyBytes);
        return new PollingService([.. pollers.SelectMany(p => PollSources.Create(p, dependencies))], Store, Log, TimeProvider.System);
    }

    /// <summary>Polls every source of <paramref name="service"/> once, one after the other.</summary>
    public static async Task PollAsync(PollingService service, CancellationToken cancellationToken = default)
    {
        foreach (IPollSource source in service.Sources)
        {
            await service.RoundAsync(source, cancellationToken);
        }
    }

    public HashSet<string> StoredIds(string tenant) => [.. Store.ReadEvents(tenant).Select(e => e.RecordId)];

    public async ValueTask DisposeAsync()
    {
        await Apis.DisposeAsync();
        Store.Dispose();
        _http.Dispose();
        _metrics.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}

/// <summary>The fixtures' records of contoso (test/fixtures/exports) as the APIs would serve them.</summary>
internal static class FixtureLogs
{
    /// <summary>content-2023-06-06.json: 21 MailItemsAccessed records, some through published proxies.</summary>
    public static List<JsonObject> ExchangeRecords() => [.. JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Exports, "ual", "management-api", "content-2023-06-06.json")))!.AsArray().Select(n => n!.AsObject())];

    /// <summary>ual-2023-06-07.jsonl: 22 records of several operations (UserLoggedIn among them).</summary>
    public static List<JsonObject> CollectorRecords() =>
        [.. File.ReadAllLines(Path.Combine(RepositoryPaths.Exports, "ual", "collector", "ual-2023-06-07.jsonl")).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject())];

    /// <summary>signins-page1.json and signins-page2.json: 13 Graph signIn objects.</summary>
    public static List<JsonObject> SignIns() =>
        [.. new[] { "signins-page1.json", "signins-page2.json" }.SelectMany(f => JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Exports, "entra", "graph", f)))!["value"]!.AsArray().Select(n => n!.AsObject()))];

    /// <summary>Serves contoso's logs for <paramref name="tid"/>, as of now: the Exchange records in five blobs
    /// made available over 60 hours (three in one 24-hour window, so that listing has two pages), the other
    /// records in an Audit.General and an Audit.AzureActiveDirectory blob, an empty blob, and the sign-ins
    /// (four Graph pages). Returns every record id served.</summary>
    public static HashSet<string> Serve(FakeMicrosoftApis apis, string tid, string prefix = "")
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        List<JsonObject> exchange = ExchangeRecords();
        (int From, int Count, double HoursAgo)[] blobs = [(0, 5, 60), (5, 4, 30), (9, 4, 29.5), (13, 4, 29), (17, 4, 2)];
        for (int i = 0; i < blobs.Length; i++)
        {
            (int from, int count, double hoursAgo) = blobs[i];
            apis.AddContent(tid, "Audit.Exchange", $"{prefix}exchange-{i}", now.AddHours(-hoursAgo), Array(exchange.Skip(from).Take(count)));
        }

        List<JsonObject> collector = CollectorRecords();
        apis.AddContent(tid, "Audit.General", $"{prefix}general-0", now.AddHours(-10), Array(collector.Where(r => (string?)r["Operation"] != "UserLoggedIn")));
        apis.AddContent(tid, "Audit.AzureActiveDirectory", $"{prefix}aad-0", now.AddHours(-9), Array(collector.Where(r => (string?)r["Operation"] == "UserLoggedIn")));
        apis.AddContent(tid, "Audit.AzureActiveDirectory", $"{prefix}aad-empty", now.AddHours(-8), "[]");
        List<JsonObject> signIns = SignIns();
        apis.AddSignIns(tid, signIns);
        return [.. exchange.Concat(collector).Select(r => (string)r["Id"]!), .. signIns.Select(s => (string)s["id"]!)];
    }

    public static string Array(IEnumerable<JsonObject> records) => new JsonArray([.. records.Select(r => r.DeepClone())]).ToJsonString();
}

/// <summary>Keeps every log entry, formatted, with its event id and level. Thread-safe.</summary>
internal sealed class ListLogger : ILogger
{
    public ConcurrentQueue<(int Id, LogLevel Level, string Message)> Entries { get; } = new();

    public IEnumerable<string> Messages(int eventId) => Entries.Where(e => e.Id == eventId).Select(e => e.Message);

    public string All => string.Join('\n', Entries.Select(e => $"{e.Id} {e.Level}: {e.Message}"));

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((eventId.Id, logLevel, formatter(state, exception) + (exception is null ? "" : " " + exception)));
}
