using Forgewatch.Core.Coverage;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Spool;
using Forgewatch.Core.Events;
using Forgewatch.Core.Indicators;
using Forgewatch.Core.Scanning;
using Forgewatch.Server.Detection;
using Forgewatch.Server.Incidents;
using Forgewatch.Server.Storage;
using Forgewatch.Server.Tenants;
using Forgewatch.Sources.Input;
using Forgewatch.Sources.Pipeline;
using Forgewatch.Testing;

namespace Forgewatch.Server.Tests.Detection;

/// <summary>
/// The incremental detections of one tenant against <c>scan</c>'s investigation of the same records (the
/// repository's simulated tenant: five attacks, both logs): whatever the order and grouping of arrival, with
/// restarts from snapshots in between, the incidents must be the same, byte for byte.
/// </summary>
public class TenantDetectionTests
{
    internal static readonly DateTimeOffset Now = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The defaults, with every new incident's exposure read from the whole history at once.</summary>
    private static readonly StreamSettings Exact = StreamSettings.Default with { ExposureRescan = TimeSpan.Zero, ProvisionalEvery = TimeSpan.Zero };

    /// <summary>Checkpoints every 300 records and half hour, so that late records rewind to one (the default
    /// spacing of 50,000 records is more than the sample holds).</summary>
    private static readonly StreamSettings Checkpointing = new(TimeSpan.FromMinutes(30), 300, 8, TimeSpan.Zero, TimeSpan.Zero) { ProvisionalEvery = TimeSpan.Zero };
    private static readonly Lazy<(AuditEvent[] Events, string[] Expected)> Sample = new(ReadSample);

    /// <summary>The records of the repository's simulated tenant (samples/simulated).</summary>
    internal static AuditEvent[] SampleEvents => Sample.Value.Events;

    /// <param name="seed">Seeds the arrival order.</param>
    /// <param name="batchSize">Records per batch.</param>
    /// <param name="shuffleRecords">Every record anywhere (else each log in time-ordered batches, the batches
    /// delivered in random order, as the audit log's content blobs come).</param>
    [Theory]
    [InlineData(1, 400, false)]
    [InlineData(2, 97, false)]
    [InlineData(3, 2500, true)]
    [InlineData(4, 300, true)]
    public void ShuffledBatches_SameIncidentsAsScan_LateRecordsRewound(int seed, int batchSize, bool shuffleRecords)
    {
        (AuditEvent[] events, string[] expected) = Sample.Value;
        using SqliteStore store = NewStore();
        TenantDetection stream = TenantDetection.Open(store, "t", Checkpointing);
        var random = new Random(seed);
        IEnumerable<AuditEvent[]> arrival = shuffleRecords
            ? events.OrderBy(_ => random.Next()).Chunk(batchSize)
            : events.GroupBy(e => e.Log.IsEntraSignIn()).SelectMany(log => log.OrderBy(e => e.Time).Chunk(batchSize)).ToList().OrderBy(_ => random.Next());

        foreach (AuditEvent[] batch in arrival)
        {
            store.StoreEvents("t", batch, Now);
            stream.CatchUp();
        }

        Assert.Equal(expected, Describe(stream.Incidents()));
        Assert.True(stream.Rewinds > 0, "Shuffled records should have come later than the horizon.");
        if (!shuffleRecords)
        {
            Assert.True(stream.RewindsToStart < stream.Rewinds, $"All {stream.Rewinds} rewinds went back to the start; none to a checkpoint.");
        }
    }

    /// <summary>Both logs in time order, interleaved, every fifth batch held back and sent two batches later (as
    /// a batch refused with 429 comes again): with recent copies a late batch goes back seconds, never to the
    /// start; without them (and no checkpoint spaced closely enough) it goes back to the start.</summary>
    [Theory]
    [InlineData(150, true)]
    [InlineData(0, false)]
    public void BatchesSlightlyLate_RecentCopies_NoRewindToTheStart_SameIncidentsAsScan(int recentCopyEvents, bool expectNoneToStart)
    {
        (AuditEvent[] events, string[] expected) = Sample.Value;
        using SqliteStore store = NewStore();
        StreamSettings settings = Exact with { CheckpointEvents = int.MaxValue, RecentCopyEvents = recentCopyEvents };
        TenantDetection stream = TenantDetection.Open(store, "t", settings);
        List<AuditEvent[]> batches = [.. events.OrderBy(e => e.Time).Chunk(60)];
        for (int i = 5; i + 2 < batches.Count; i += 5)
        {
            (batches[i], batches[i + 1], batches[i + 2]) = (batches[i + 1], batches[i + 2], batches[i]);
        }

        foreach (AuditEvent[] batch in batches)
        {
            store.StoreEvents("t", batch, Now);
            stream.CatchUp();
        }

        Assert.Equal(expected, Describe(stream.Incidents()));
        Assert.True(stream.Rewinds > 10, $"Only {stream.Rewinds} rewinds: the held-back batches should have come late.");
        if (expectNoneToStart)
        {
            Assert.Equal(0, stream.RewindsToStart);
        }
        else
        {
            Assert.True(stream.RewindsToStart > 0, "Without recent copies the late batches should have gone back to the start.");
        }
    }

    /// <summary>New events handed over in memory as the server does, except every third batch's (read from the
    /// store instead); each batch repeats records of the one before, which are not new.</summary>
    [Theory]
    [InlineData(5, 400)]
    [InlineData(6, 97)]
    public void CommittedEventsHandedInMemory_SomeOnlyInTheStore_SameIncidentsAsScan(int seed, int batchSize)
    {
        (AuditEvent[] events, string[] expected) = Sample.Value;
        using SqliteStore store = NewStore();
        var committed = new CommittedBatches();
        TenantDetection stream = TenantDetection.Open(store, "t", Checkpointing);
        var random = new Random(seed);
        AuditEvent[] previous = [];
        int count = 0;
        int handed = 0;
        foreach (AuditEvent[] batch in events.GroupBy(e => e.Log.IsEntraSignIn()).SelectMany(log => log.OrderBy(e => e.Time).Chunk(batchSize)).ToList().OrderBy(_ => random.Next()))
        {
            StoredBatch stored = store.StoreEvents("t", [.. previous.Take(5), .. batch], Now);
            Assert.Equal(batch.Length, stored.New.Count);
            if (count++ % 3 != 0)
            {
                committed.Add("t", stored.BatchId, stored.New);
                handed++;
            }

            stream.CatchUp(null, committed);
            previous = batch;
        }

        Assert.Equal(expected, Describe(stream.Incidents()));
        Assert.True(handed > 0);
        Assert.Equal(0, committed.Held);
    }

    /// <param name="signInsFirst">The sign-ins all come first, else the audit log.</param>
    /// <param name="waitForPipe">With the wait for a log that has not shown up (the default), else without.</param>
    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public void OneLogWholeBeforeTheOther_SameIncidentsAsScan(bool signInsFirst, bool waitForPipe)
    {
        (AuditEvent[] events, string[] expected) = Sample.Value;
        using SqliteStore store = NewStore();
        var time = new ManualTime();
        StreamSettings settings = waitForPipe ? Exact : Exact with { NewPipeWait = TimeSpan.Zero };
        TenantDetection stream = TenantDetection.Open(store, "t", settings, time: time);
        int firstLog = events.Count(e => e.Log.IsEntraSignIn() == signInsFirst);

        foreach (AuditEvent[] batch in events.OrderBy(e => e.Log.IsEntraSignIn() == signInsFirst ? 0 : 1).ThenBy(e => e.Time).Chunk(500))
        {
            store.StoreEvents("t", batch, Now);
            stream.CatchUp();
            time.Advance(TimeSpan.FromSeconds(1));
            if (waitForPipe && stream.Waiting == firstLog)
            {
                // Only the first log came: nothing is observed before the second shows up.
                Assert.Equal(DateTime.MinValue, stream.Horizon);
                Assert.True(stream.WaitingForPipe);
            }
        }

        Assert.Equal(expected, Describe(stream.Incidents()));
        Assert.False(stream.WaitingForPipe);

        // Without the wait, the second log's first records are older than the first log's horizon: one
        // rewind, then none, since each log comes in order. With it, the first log waited: none at all.
        Assert.Equal(waitForPipe ? 0 : 1, stream.Rewinds);
    }

    /// <summary>A tenant that sends one log only: its records wait for the other for <see
    /// cref="StreamSettings.NewPipeWait"/>, then are observed without new records coming (a run with nothing
    /// new moves the horizon); or sooner, once <see cref="StreamSettings.NewPipeWaitEvents"/> wait.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OneLogOnly_WaitsForTheOtherThenGoesOn(bool capByEvents)
    {
        AuditEvent[] audit = [.. Sample.Value.Events.Where(e => !e.Log.IsEntraSignIn()).OrderBy(e => e.Time)];
        using SqliteStore store = NewStore();
        var time = new ManualTime();
        StreamSettings settings = Exact with { NewPipeWait = TimeSpan.FromSeconds(30), NewPipeWaitEvents = capByEvents ? 1000 : int.MaxValue };
        TenantDetection stream = TenantDetection.Open(store, "t", settings, time: time);

        store.StoreEvents("t", [.. audit.Take(600)], Now);
        stream.CatchUp();
        time.Advance(TimeSpan.FromSeconds(29));
        stream.CatchUp();
        Assert.Equal(DateTime.MinValue, stream.Horizon);
        Assert.True(stream.WaitingForPipe);

        if (capByEvents)
        {
            store.StoreEvents("t", [.. audit.Skip(600).Take(600)], Now);
            stream.CatchUp();
        }
        else
        {
            time.Advance(TimeSpan.FromSeconds(1));
            stream.CatchUp();
        }

        Assert.False(stream.WaitingForPipe);
        Assert.True(stream.Horizon > DateTime.MinValue, "The records should be observed once the wait is over.");
        Assert.True(stream.Waiting < (capByEvents ? 1200 : 600), $"{stream.Waiting} records still wait.");
    }

    /// <param name="waitForPipe">With the wait for a log that has not shown up (the default): nothing is observed
    /// before the first sign-in. Without it, the audit log's first two days are observed alone, then again.</param>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SignInsTwoDaysBehind_EachLogInOrder_NothingObservedBeforeBothPassed(bool waitForPipe)
    {
        (AuditEvent[] events, string[] expected) = Sample.Value;
        using SqliteStore store = NewStore();
        TenantDetection stream = TenantDetection.Open(store, "t", waitForPipe ? Checkpointing : Checkpointing with { NewPipeWait = TimeSpan.Zero });
        TimeSpan behind = TimeSpan.FromDays(2);

        foreach (AuditEvent[] batch in events.OrderBy(e => e.Log.IsEntraSignIn() ? e.Time + behind : e.Time).Chunk(300))
        {
            store.StoreEvents("t", batch, Now);
            stream.CatchUp();
            DateTime latestSignIn = store.ReadEvents("t").Where(e => e.Log.IsEntraSignIn()).Select(e => e.Time).DefaultIfEmpty(waitForPipe ? DateTime.MinValue : DateTime.MaxValue).Max();
            Assert.True(stream.Horizon <= latestSignIn, $"The horizon {stream.Horizon:O} passed the latest sign-in {latestSignIn:O}.");
        }

        Assert.Equal(expected, Describe(stream.Incidents()));
        Assert.Equal(waitForPipe ? 0 : 1, stream.Rewinds);
    }

    [Fact]
    public void InTimeOrder_IncidentsBeforeTheHorizonFinal_TheOthersNot_UntilTheOtherLogComes()
    {
        (AuditEvent[] events, string[] expected) = Sample.Value;
        using SqliteStore store = NewStore();
        TenantDetection stream = TenantDetection.Open(store, "t", Exact);
        DateTime middle = events[0].Time + ((events[^1].Time - events[0].Time) / 2);

        // The audit log complete, the sign-ins only to the middle: nothing after the middle is final.
        store.StoreEvents("t", [.. events.Where(e => !e.Log.IsEntraSignIn() || e.Time < middle)], Now);
        stream.CatchUp();
        IReadOnlyList<StoredIncident> partial = stream.Incidents();
        Assert.True(stream.Horizon < middle);
        Assert.All(partial.Where(i => i.FirstSeen >= middle), i => Assert.False(i.Final, $"{i.Id} is final before the sign-ins of its time came."));

        store.StoreEvents("t", [.. events.Where(e => e.Log.IsEntraSignIn() && e.Time >= middle)], Now);
        stream.CatchUp();
        IReadOnlyList<StoredIncident> whole = stream.Incidents();

        Assert.Equal(expected, Describe(whole));
        Assert.Contains(whole, i => i.Final);
    }

    [Fact]
    public void Restart_FromTheSnapshot_ReadsOnlyWhatCameAfter_SameIncidents()
    {
        (AuditEvent[] events, string[] expected) = Sample.Value;
        using SqliteStore store = NewStore();
        AuditEvent[] ordered = [.. events.OrderBy(e => e.Time)];
        int cut = ordered.Length * 2 / 3;
        TenantDetection first = TenantDetection.Open(store, "t", Checkpointing);
        foreach (AuditEvent[] batch in ordered[..cut].Chunk(700))
        {
            store.StoreEvents("t", batch, Now);
            first.CatchUp();
        }

        store.SaveSnapshot("t", first.Snapshot(Now));
        foreach (AuditEvent[] batch in ordered[cut..].Chunk(700))
        {
            store.StoreEvents("t", batch, Now);
        }

        TenantDetection restarted = TenantDetection.Open(store, "t", Checkpointing);

        Assert.InRange(restarted.ReadAtOpen, ordered.Length - cut, (ordered.Length - cut) + 1000);
        Assert.Equal(expected, Describe(restarted.Incidents()));
    }

    [Fact]
    public void DamagedSnapshot_NotUsed_WholeHistoryReadAgain_SameIncidents()
    {
        (AuditEvent[] events, string[] expected) = Sample.Value;
        using SqliteStore store = NewStore();
        store.StoreEvents("t", events, Now);
        DetectionSnapshot snapshot = TenantDetection.Open(store, "t", Exact).Snapshot(Now);
        byte[] damaged = [.. snapshot.Data];
        damaged[damaged.Length / 2] ^= 0x40;
        store.SaveSnapshot("t", snapshot with { Data = damaged });

        TenantDetection reopened = TenantDetection.Open(store, "t", Exact);

        Assert.Equal(events.Length, reopened.ReadAtOpen);
        Assert.Equal(expected, Describe(reopened.Incidents()));
    }

    [Fact]
    public void NewIndicatorFile_SnapshotNotUsed_PastMatchesFound()
    {
        (AuditEvent[] events, _) = Sample.Value;
        using SqliteStore store = NewStore();
        store.StoreEvents("t", events, Now);
        TenantDetection before = TenantDetection.Open(store, "t", Exact);
        store.SaveSnapshot("t", before.Snapshot(Now));
        string address = events.OfType<MailAccessEvent>().Select(e => e.ClientAddress).OfType<string>().First();

        store.AddIndicatorFile("t", "ioc.csv", System.Text.Encoding.UTF8.GetBytes($"type,value\nip,{address}\n"), Now);
        TenantDetection after = TenantDetection.Open(store, "t", Exact);

        Assert.Equal(events.Length, after.ReadAtOpen);
        Assert.True(IndicatorAlerts(after.Incidents()) > IndicatorAlerts(before.Incidents()), "The new indicator matched nothing in the history.");
    }

    /// <summary>Distinct FW1003 (indicator) alert ids named by the incidents.</summary>
    private static int IndicatorAlerts(IEnumerable<StoredIncident> incidents) =>
        incidents.SelectMany(i => System.Text.RegularExpressions.Regex.Matches(i.Json, "FW1003-[0-9a-f]{12}").Select(m => m.Value)).Distinct(StringComparer.Ordinal).Count();

    [Fact]
    public async Task RunsCloseTogether_ExposureOfRecentRecords_AndTheLastFinishReused_ExactAfterAWhile()
    {
        (AuditEvent[] events, string[] expected) = Sample.Value;
        using SqliteStore store = NewStore();
        TenantDetection stream = TenantDetection.Open(store, "t", StreamSettings.Default with { ExposureRescan = TimeSpan.FromSeconds(3), ProvisionalEvery = TimeSpan.FromSeconds(3) });

        bool partialSeen = false;
        bool reuseSeen = false;
        foreach (AuditEvent[] batch in events.OrderBy(e => e.Time).Chunk(400))
        {
            store.StoreEvents("t", batch, Now);
            stream.CatchUp();
            stream.Incidents();
            partialSeen |= stream.ExposurePartial;
            reuseSeen |= stream.ProvisionalStale;
        }

        Assert.True(partialSeen, "Incidents found after the first full read should have had only their recent records for a while.");
        Assert.True(reuseSeen, "Runs within seconds of each other should have reused the scratch copy's alerts.");
        await Task.Delay(3100, TestContext.Current.CancellationToken);

        // The read of the whole history runs in the background: the runs that follow take in what it found.
        stream.Incidents();
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); stream.ExposurePartial && waited.Elapsed < TimeSpan.FromSeconds(30);)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            stream.Incidents();
        }

        await Task.Delay(3100, TestContext.Current.CancellationToken);
        Assert.Equal(expected, Describe(stream.Incidents()));
        Assert.False(stream.ExposurePartial);
        Assert.False(stream.ProvisionalStale);
    }

    /// <summary>The earliest and latest times the readers take (2000 to 2100): a record decades away from the
    /// rest moves the horizon to the end of the range or rewinds everything.</summary>
    [Theory]
    [InlineData("2000-01-01T00:00:00")]
    [InlineData("2099-12-31T23:59:59")]
    public async Task RecordDecadesAwayFromTheRest_SameIncidentsAsScan(string time)
    {
        (AuditEvent[] events, _) = Sample.Value;
        string line = $$"""{"CreationTime":"{{time}}","Id":"0b5e7f55-0000-4000-8000-000000000001","Operation":"MailItemsAccessed","OrganizationId":"{{events[0].TenantId}}","RecordType":50,"ResultStatus":"Succeeded","UserKey":"u","UserType":0,"Version":1,"Workload":"Exchange","ClientIP":"203.0.113.9","UserId":"edge@northwind.example","AppId":"00000002-0000-0ff1-ce00-000000000000","MailboxOwnerUPN":"edge@northwind.example","OperationProperties":[{"Name":"MailAccessType","Value":"Bind"}],"Folders":[{"Id":"x","Path":"\\Inbox"}],"OperationCount":1}""";
        AuditEvent[] all = [.. events, await ReadOneAsync(line)];
        using SqliteStore store = NewStore();
        TenantDetection stream = TenantDetection.Open(store, "t", Exact);

        foreach (AuditEvent[] batch in all.Reverse().Chunk(1000))
        {
            store.StoreEvents("t", batch, Now);
            stream.CatchUp();
        }

        Assert.Equal(Scan(all), Describe(stream.Incidents()));
        store.SaveSnapshot("t", stream.Snapshot(Now));
        Assert.Equal(Scan(all), Describe(TenantDetection.Open(store, "t", Exact).Incidents()));
    }

    private static string[] Describe(IEnumerable<StoredIncident> incidents) => [.. incidents.Select(i => i.Json).Order(StringComparer.Ordinal)];

    /// <summary>The one record of a JSON line, as the readers take it from a file.</summary>
    internal static async Task<AuditEvent> ReadOneAsync(string line)
    {
        string file = Path.Combine(Path.GetTempPath(), "forgewatch-stream-tests", Guid.NewGuid().ToString("N") + ".jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, line + "\n", TestContext.Current.CancellationToken);
        var events = new List<AuditEvent>();
        await new LogReader().ReadAsync([new InputFile(file, new FileInfo(file).Length)], batch => events.AddRange(batch.Events), TestContext.Current.CancellationToken);
        return Assert.Single(events);
    }

    internal static SqliteStore NewStore(string? directory = null)
    {
        SqliteStore store = SqliteStore.Open(directory ?? Path.Combine(Path.GetTempPath(), "forgewatch-stream-tests", Guid.NewGuid().ToString("N")));
        store.AddTenant(new Tenant("t", ["a@t.example"], null, Now), Guid.NewGuid().ToString("N"));
        return store;
    }

    /// <summary>The simulated sample's records, and the incidents scan's investigation finds in them, as JSON.</summary>
    private static (AuditEvent[] Events, string[] Expected) ReadSample()
    {
        string logs = Path.Combine(RepositoryPaths.Samples, "simulated", "logs");
        var events = new List<AuditEvent>();
        InputFile[] files = [.. Directory.EnumerateFiles(logs).Order(StringComparer.Ordinal).Select(f => new InputFile(f, new FileInfo(f).Length))];
        new LogReader().ReadAsync(files, batch => events.AddRange(batch.Events)).GetAwaiter().GetResult();
        string[] expected = Scan(events);
        Assert.NotEmpty(expected);
        return ([.. events], expected);
    }

    /// <summary>The incidents <c>scan</c>'s investigation finds in <paramref name="events"/>, as JSON, in order.</summary>
    private static string[] Scan(IEnumerable<AuditEvent> events)
    {
        using var spool = new EventSpool();
        var coverage = new CoverageMap();
        foreach (AuditEvent e in events)
        {
            coverage.Add(e);
            spool.Add(e);
        }

        InvestigationResult result = Investigation.Run(spool, coverage.TenantOf, BuiltInDetections.Create(), new DetectionContext(new DetectionOptions(), Storm0558Indicators.Create(), coverage));
        return [.. result.Incidents.Select(IncidentJson.Of).Order(StringComparer.Ordinal)];
    }
}
