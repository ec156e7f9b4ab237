using Forgewatch.Core.Events;
using Forgewatch.Server.Storage;
using Forgewatch.Server.Tenants;

namespace Forgewatch.Server.Tests.Storage;

/// <summary>What streaming detection and the pollers keep in the store: events after a snapshot, the snapshot
/// itself, and pull checkpoints; for SQLite and PostgreSQL alike.</summary>
public class ReplayStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public void ReadEventsAfter_LaterEventsAndLaterBatches_InTimeOrderWithTheirBatch(StoreKind kind)
    {
        using TestDatabase database = TestDatabase.Create(kind);
        using IServerStore store = StoreWithTenants(database);
        AuditEvent[] events = [.. ServerStoreTests.ReadFixture().OrderBy(e => e.Time).ThenBy(e => e.RecordId, StringComparer.Ordinal)];
        int half = events.Length / 2;
        DateTime cut = events[half].Time;
        StoredBatch first = store.StoreEvents("contoso", events[..half], Now);
        StoredBatch second = store.StoreEvents("contoso", events[half..], Now);
        store.StoreEvents("fabrikam", events, Now);

        IReadOnlyList<StoredEvent> afterCut = store.ReadEventsAfter("contoso", cut, second.BatchId);
        IReadOnlyList<StoredEvent> afterFirst = store.ReadEventsAfter("contoso", DateTime.MaxValue, first.BatchId);

        Assert.Equal(events.Where(e => e.Time >= cut).Select(e => e.RecordId), afterCut.Select(e => e.Event.RecordId));
        Assert.Equal(events[half..].Select(e => e.RecordId), afterFirst.Select(e => e.Event.RecordId));
        Assert.All(afterFirst, e => Assert.Equal(second.BatchId, e.Batch));
        Assert.Equal(second.BatchId, store.LastBatch("contoso"));
        Assert.Equal(0, store.LastBatch("nobody"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public void ReadEventsPage_PagesEndWithAWholeInstant_TogetherEveryEventOnce_LaterBatchesLeftOut(StoreKind kind)
    {
        using TestDatabase database = TestDatabase.Create(kind);
        using IServerStore store = StoreWithTenants(database);
        AuditEvent[] events = [.. Detection.TenantDetectionTests.SampleEvents.OrderBy(e => e.Time).ThenBy(e => e.RecordId, StringComparer.Ordinal)];
        int half = events.Length / 2;
        StoredBatch first = store.StoreEvents("contoso", events[..half], Now);
        store.StoreEvents("contoso", events[half..], Now);
        Assert.True(events.GroupBy(e => e.Time).Any(g => g.Count() > 1), "The fixture should hold several records at one instant.");

        var read = new List<StoredEvent>();
        DateTime cursor = DateTime.MinValue;
        for (IReadOnlyList<StoredEvent> page; (page = store.ReadEventsPage("contoso", cursor, long.MaxValue, 50)).Count > 0; cursor = page[^1].Event.Time.AddTicks(1))
        {
            Assert.InRange(page.Count, 1, 50 + events.Count(e => e.Time == page[^1].Event.Time));
            read.AddRange(page);
        }

        Assert.Equal(events.Select(e => e.RecordId), read.Select(e => e.Event.RecordId));
        Assert.Equal(events[..half].Select(e => e.RecordId), store.ReadEventsPage("contoso", DateTime.MinValue, first.BatchId, events.Length).Select(e => e.Event.RecordId));
        Assert.Equal(events.Where(e => e.Time >= events[half].Time).Select(e => e.RecordId), store.ReadEventsPage("contoso", events[half].Time, long.MaxValue, events.Length).Select(e => e.Event.RecordId));
        Assert.Empty(store.ReadEventsPage("fabrikam", DateTime.MinValue, long.MaxValue, 10));
    }

    /// <summary>Paging over the mail accesses only gives exactly the mail accesses of paging over everything.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public void ReadEventsPage_MailAccessOnly_TheMailAccessesOfEveryPage(StoreKind kind)
    {
        using TestDatabase database = TestDatabase.Create(kind);
        using IServerStore store = StoreWithTenants(database);
        AuditEvent[] events = [.. Detection.TenantDetectionTests.SampleEvents.OrderBy(e => e.Time).ThenBy(e => e.RecordId, StringComparer.Ordinal)];
        store.StoreEvents("contoso", events, Now);
        Assert.Contains(events, e => e is MailAccessEvent);
        Assert.Contains(events, e => e is not MailAccessEvent);

        var read = new List<StoredEvent>();
        DateTime cursor = DateTime.MinValue;
        for (IReadOnlyList<StoredEvent> page; (page = store.ReadEventsPage("contoso", cursor, long.MaxValue, 50, mailAccessOnly: true)).Count > 0; cursor = page[^1].Event.Time.AddTicks(1))
        {
            Assert.All(page, e => Assert.IsType<MailAccessEvent>(e.Event));
            read.AddRange(page);
        }

        Assert.Equal(events.OfType<MailAccessEvent>().Select(e => e.RecordId), read.Select(e => e.Event.RecordId));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public void ReadNewEvents_WholeBatchesInCommitOrder_AboutTheLimit_DuplicateBatchesSkipped(StoreKind kind)
    {
        using TestDatabase database = TestDatabase.Create(kind);
        using IServerStore store = StoreWithTenants(database);
        AuditEvent[] events = [.. ServerStoreTests.ReadFixture()];
        int third = events.Length / 3;
        StoredBatch first = store.StoreEvents("contoso", events[..third], Now);
        StoredBatch repeated = store.StoreEvents("contoso", events[..third], Now);
        StoredBatch second = store.StoreEvents("contoso", events[third..(2 * third)], Now);
        StoredBatch last = store.StoreEvents("contoso", events[(2 * third)..], Now);
        store.StoreEvents("fabrikam", events, Now);

        IReadOnlyList<StoredEvent> one = store.ReadNewEvents("contoso", 0, 1);
        IReadOnlyList<StoredEvent> past = store.ReadNewEvents("contoso", first.BatchId, third + 1);
        IReadOnlyList<StoredEvent> all = store.ReadNewEvents("contoso", 0, int.MaxValue);

        Assert.Equal(events[..third].Select(e => e.RecordId).Order(StringComparer.Ordinal), one.Select(e => e.Event.RecordId).Order(StringComparer.Ordinal));
        Assert.All(one, e => Assert.Equal(first.BatchId, e.Batch));
        Assert.Equal(0, repeated.Stored);
        Assert.Equal(events[third..].Select(e => e.RecordId).Order(StringComparer.Ordinal), past.Select(e => e.Event.RecordId).Order(StringComparer.Ordinal));
        Assert.Equal([first.BatchId, second.BatchId, last.BatchId], all.Select(e => e.Batch).Distinct());
        Assert.Equal(events.Length, all.Count);
        Assert.Empty(store.ReadNewEvents("contoso", last.BatchId, 10));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public void Snapshot_SavedReplacedAndGoneWithItsTenant(StoreKind kind)
    {
        using TestDatabase database = TestDatabase.Create(kind);
        using IServerStore store = StoreWithTenants(database);
        var first = new DetectionSnapshot(new DateTime(2023, 6, 1, 0, 0, 0, DateTimeKind.Utc), 3, 1, [1, 2, 3], Now);
        var second = new DetectionSnapshot(new DateTime(2023, 6, 2, 0, 0, 0, DateTimeKind.Utc), 7, 2, [4, 5], Now.AddMinutes(1));

        Assert.Null(store.LoadSnapshot("contoso"));
        store.SaveSnapshot("contoso", first);
        store.SaveSnapshot("contoso", second);

        DetectionSnapshot back = store.LoadSnapshot("contoso")!;
        Assert.Equal((second.Horizon, second.Batch, second.IndicatorFiles, second.Taken), (back.Horizon, back.Batch, back.IndicatorFiles, back.Taken));
        Assert.Equal(second.Data, back.Data);
        Assert.Null(store.LoadSnapshot("fabrikam"));
        store.RemoveTenant("contoso");
        Assert.Null(store.LoadSnapshot("contoso"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public void Checkpoint_PerTenantAndSource_Replaced(StoreKind kind)
    {
        using TestDatabase database = TestDatabase.Create(kind);
        using IServerStore store = StoreWithTenants(database);

        store.SaveCheckpoint("contoso", "graph-signins", "a", Now);
        store.SaveCheckpoint("contoso", "graph-signins", "b", Now);
        store.SaveCheckpoint("contoso", "management-activity", "c", Now);

        Assert.Equal("b", store.ReadCheckpoint("contoso", "graph-signins"));
        Assert.Equal("c", store.ReadCheckpoint("contoso", "management-activity"));
        Assert.Null(store.ReadCheckpoint("fabrikam", "graph-signins"));
    }

    private static IServerStore StoreWithTenants(TestDatabase database)
    {
        IServerStore store = database.Open();
        store.AddTenant(new Tenant("contoso", ["a@contoso.example"], null, Now), "hash-c");
        store.AddTenant(new Tenant("fabrikam", ["b@fabrikam.example"], null, Now), "hash-f");
        return store;
    }
}
