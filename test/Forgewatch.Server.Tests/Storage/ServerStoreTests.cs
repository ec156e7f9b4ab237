using Forgewatch.Core.Events;
using Forgewatch.Server.Storage;
using Forgewatch.Server.Tenants;
using Forgewatch.Sources.Input;
using Forgewatch.Sources.Pipeline;
using Forgewatch.Testing;

namespace Forgewatch.Server.Tests.Storage;

/// <summary>The store's contract (IServerStore), for SQLite and PostgreSQL alike.</summary>
public class ServerStoreTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public void AddTenant_ListedWithAdminsAndWebhook_KeyFindsIt(StoreKind kind)
    {
        using TestDatabase database = TestDatabase.Create(kind);
        using IServerStore store = database.Open();
        var tenant = new Tenant("contoso", ["a@contoso.example", "b@contoso.example"], new Uri("https://hooks.example/x"), new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero));

        Assert.True(store.AddTenant(tenant, "hash-1"));

        Tenant listed = Assert.Single(store.ListTenants());
        Assert.Equal("contoso", listed.Id);
        Assert.Equal(["a@contoso.example", "b@contoso.example"], listed.Admins);
        Assert.Equal(tenant.Webhook, listed.Webhook);
        Assert.Equal(tenant.Created, listed.Created);
        Assert.Equal("contoso", store.TenantForKey("hash-1"));
        Assert.Null(store.TenantForKey("hash-2"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public void AddTenant_IdTaken_FalseAndFirstKeptWithItsKey(StoreKind kind)
    {
        using TestDatabase database = TestDatabase.Create(kind);
        using IServerStore store = database.Open();
        store.AddTenant(new Tenant("contoso", ["a@contoso.example"], null, DateTimeOffset.UtcNow), "hash-1");

        Assert.False(store.AddTenant(new Tenant("contoso", ["evil@example.com"], null, DateTimeOffset.UtcNow), "hash-2"));

        Assert.Equal(["a@contoso.example"], Assert.Single(store.ListTenants()).Admins);
        Assert.Equal("contoso", store.TenantForKey("hash-1"));
        Assert.Null(store.TenantForKey("hash-2"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public void StoreEvents_EachRecordIdOncePerTenant_EventsComeBackWhole(StoreKind kind)
    {
        using TestDatabase database = TestDatabase.Create(kind);
        using IServerStore store = database.Open();
        store.AddTenant(new Tenant("contoso", ["a@contoso.example"], null, DateTimeOffset.UtcNow), "hash-1");
        IReadOnlyList<AuditEvent> events = ReadFixture();

        StoredBatch first = store.StoreEvents("contoso", events, DateTimeOffset.UtcNow);
        StoredBatch second = store.StoreEvents("contoso", [.. events.Take(3)], DateTimeOffset.UtcNow);

        Assert.Equal((events.Count, 0), (first.Stored, first.Duplicates));
        Assert.Equal((0, 3), (second.Stored, second.Duplicates));
        Assert.NotEqual(first.BatchId, second.BatchId);
        IReadOnlyList<AuditEvent> back = store.ReadEvents("contoso");
        Assert.Equal(events.Count, back.Count);
        Assert.Equal(
            events.OrderBy(e => e.Time).ThenBy(e => e.RecordId, StringComparer.Ordinal).Select(Describe),
            back.Select(Describe));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public void StoreEvents_NewEventsReturnedInBatchOrder_AsReadBack_BatchesListed(StoreKind kind)
    {
        using TestDatabase database = TestDatabase.Create(kind);
        using IServerStore store = database.Open();
        store.AddTenant(new Tenant("contoso", ["a@contoso.example"], null, DateTimeOffset.UtcNow), "hash-1");
        IReadOnlyList<AuditEvent> events = ReadFixture();
        AuditEvent[] head = [.. events.Take(10)];

        StoredBatch first = store.StoreEvents("contoso", head, DateTimeOffset.UtcNow);
        // Three stored before, the rest new, one of them twice: only its first copy is new.
        AuditEvent[] mixed = [.. events.Skip(7), events[12]];
        StoredBatch second = store.StoreEvents("contoso", mixed, DateTimeOffset.UtcNow);
        StoredBatch third = store.StoreEvents("contoso", head, DateTimeOffset.UtcNow);

        Assert.Equal(head.Select(e => e.RecordId), first.New.Select(e => e.RecordId));
        Assert.Equal(events.Skip(10).Select(e => e.RecordId), second.New.Select(e => e.RecordId));
        Assert.Equal(second.Stored, second.New.Count);
        Assert.Empty(third.New);
        Assert.Equal(second.New.Select(e => e.RecordId), store.ReadNewEvents("contoso", first.BatchId, 1).Select(e => e.Event.RecordId));
        Assert.Equal([(first.BatchId, 10), (second.BatchId, second.Stored), (third.BatchId, 0)], store.NewBatches("contoso", 0, 1_000_000));
        Assert.Equal([(first.BatchId, 10)], store.NewBatches("contoso", 0, 1));
        Assert.Empty(store.NewBatches("contoso", third.BatchId, 10));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public void Reopen_EverythingCommittedIsThere(StoreKind kind)
    {
        using TestDatabase database = TestDatabase.Create(kind);
        IReadOnlyList<AuditEvent> events = ReadFixture();
        using (IServerStore store = database.Open())
        {
            store.AddTenant(new Tenant("contoso", ["a@contoso.example"], null, DateTimeOffset.UtcNow), "hash-1");
            store.StoreEvents("contoso", events, DateTimeOffset.UtcNow);
        }

        using IServerStore reopened = database.Open();

        Assert.Equal("contoso", reopened.TenantForKey("hash-1"));
        Assert.Equal(events.Count, reopened.CountEvents("contoso"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public void RemoveTenant_ItsEventsGoToo_OthersStay(StoreKind kind)
    {
        using TestDatabase database = TestDatabase.Create(kind);
        using IServerStore store = database.Open();
        store.AddTenant(new Tenant("contoso", ["a@contoso.example"], null, DateTimeOffset.UtcNow), "hash-1");
        store.AddTenant(new Tenant("fabrikam", ["b@fabrikam.example"], null, DateTimeOffset.UtcNow), "hash-2");
        IReadOnlyList<AuditEvent> events = ReadFixture();
        store.StoreEvents("contoso", events, DateTimeOffset.UtcNow);
        store.StoreEvents("fabrikam", events, DateTimeOffset.UtcNow);

        Assert.True(store.RemoveTenant("contoso"));
        Assert.False(store.RemoveTenant("contoso"));

        Assert.Equal(0, store.CountEvents("contoso"));
        Assert.Null(store.TenantForKey("hash-1"));
        Assert.Equal(events.Count, store.CountEvents("fabrikam"));
        Assert.Equal("fabrikam", Assert.Single(store.ListTenants()).Id);
    }

    internal static IReadOnlyList<AuditEvent> ReadFixture()
    {
        string path = Path.Combine(RepositoryPaths.Exports, "ual", "collector", "ual-2023-06-07.jsonl");
        var events = new List<AuditEvent>();
        new LogReader().ReadAsync([new InputFile(path, new FileInfo(path).Length)], batch => events.AddRange(batch.Events)).GetAwaiter().GetResult();
        Assert.NotEmpty(events);
        return events;
    }

    private static string Describe(AuditEvent e) =>
        string.Join('|', e.GetType().Name, e.RecordId, e.Time.Ticks, e.Operation, e.TenantId, e.UserId, e.AppId, e.ClientAppId, e.ClientIp, e.UserAgent, e.Workload, e.RecordType, e.ResultStatus, e.Origin);
}
