using Forgewatch.Core.Alerts;
using Forgewatch.Server.Incidents;
using Forgewatch.Server.Notifications;
using Forgewatch.Server.Storage;
using Forgewatch.Server.Tenants;

namespace Forgewatch.Server.Tests.Storage;

/// <summary>Incidents, their announcement once settled, and the outbox, for SQLite and PostgreSQL alike.</summary>
public class IncidentStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public void NotifySettled_NewIncident_OnlyAfterTheSettleTime_OncePerRoute(StoreKind kind)
    {
        using TestDatabase database = TestDatabase.Create(kind);
        using IServerStore store = StoreWithTenant(database, webhook: true);
        store.SaveIncidents("contoso", [Incident("i1", Severity.High)], T0);

        int early = store.NotifySettled(T0 + TimeSpan.FromSeconds(30), Settle, email: true, Payload);
        int settled = store.NotifySettled(T0 + Settle, Settle, email: true, Payload);
        int again = store.NotifySettled(T0 + Settle + Settle, Settle, email: true, Payload);

        Assert.Equal((0, 1, 0), (early, settled, again));
        IReadOnlyList<Notification> due = store.DueNotifications(T0 + Settle, 10);
        Assert.Equal(["email:a@contoso.example", "email:b@contoso.example", "webhook:https://hooks.example/x"], due.Select(n => $"{n.Channel}:{n.Target}").Order(StringComparer.Ordinal));
        Assert.All(due, n => Assert.Equal("new|i1|High", n.Payload));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public void NotifySettled_FinalIncident_AtOnce_ProvisionalWaits(StoreKind kind)
    {
        using TestDatabase database = TestDatabase.Create(kind);
        using IServerStore store = StoreWithTenant(database, webhook: true);
        store.SaveIncidents("contoso", [Incident("final", Severity.High) with { Final = true }, Incident("tail", Severity.High)], T0);

        int now = store.NotifySettled(T0, Settle, email: false, Payload);

        Assert.Equal(1, now);
        Assert.Equal("new|final|High", Assert.Single(store.DueNotifications(T0, 10)).Payload);
        Assert.True(store.GetIncident("contoso", "final")!.Final);
        Assert.False(store.GetIncident("contoso", "tail")!.Final);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public void NotifySettled_IncidentGoneBeforeSettling_NeverAnnounced(StoreKind kind)
    {
        using TestDatabase database = TestDatabase.Create(kind);
        using IServerStore store = StoreWithTenant(database, webhook: true);
        store.SaveIncidents("contoso", [Incident("partial", Severity.Medium)], T0);

        store.SaveIncidents("contoso", [Incident("whole", Severity.High)], T0 + TimeSpan.FromSeconds(10));
        store.NotifySettled(T0 + TimeSpan.FromSeconds(65), Settle, email: false, Payload);

        Assert.Empty(store.DueNotifications(T0 + TimeSpan.FromSeconds(65), 10));
        Assert.Null(store.GetIncident("contoso", "partial"));
        store.NotifySettled(T0 + TimeSpan.FromSeconds(70), Settle, email: false, Payload);
        Assert.Equal("new|whole|High", Assert.Single(store.DueNotifications(T0 + TimeSpan.FromSeconds(70), 10)).Payload);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public void NotifySettled_SeverityRises_OneUpdate_SameOrLowerNothing(StoreKind kind)
    {
        using TestDatabase database = TestDatabase.Create(kind);
        using IServerStore store = StoreWithTenant(database, webhook: true);
        store.SaveIncidents("contoso", [Incident("i1", Severity.Medium)], T0);
        store.NotifySettled(T0 + Settle, Settle, email: false, Payload);
        Notification first = Assert.Single(store.DueNotifications(T0 + Settle, 10));
        store.MarkDelivered(first.Id, T0 + Settle);

        store.SaveIncidents("contoso", [Incident("i1", Severity.Critical)], T0 + Settle + Settle);
        store.NotifySettled(T0 + (3 * Settle), Settle, email: false, Payload);
        store.SaveIncidents("contoso", [Incident("i1", Severity.High)], T0 + (4 * Settle));
        store.NotifySettled(T0 + (5 * Settle), Settle, email: false, Payload);

        Assert.Equal("raised|i1|Critical", Assert.Single(store.DueNotifications(T0 + (5 * Settle), 10)).Payload);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public void Outbox_FailedThenRescheduled_DueAgainOnlyThenAndDeliveredOnce(StoreKind kind)
    {
        using TestDatabase database = TestDatabase.Create(kind);
        using IServerStore store = StoreWithTenant(database, webhook: true);
        store.SaveIncidents("contoso", [Incident("i1", Severity.High)], T0);
        store.NotifySettled(T0 + Settle, Settle, email: false, Payload);
        Notification n = Assert.Single(store.DueNotifications(T0 + Settle, 10));

        store.Reschedule(n.Id, T0 + Settle + TimeSpan.FromSeconds(30), "the webhook could not be reached");

        Assert.Empty(store.DueNotifications(T0 + Settle + TimeSpan.FromSeconds(29), 10));
        Notification retried = Assert.Single(store.DueNotifications(T0 + Settle + TimeSpan.FromSeconds(30), 10));
        Assert.Equal(1, retried.Attempts);
        Assert.Equal(1, store.PendingNotifications());
        store.MarkDelivered(retried.Id, T0 + Settle + TimeSpan.FromSeconds(31));
        Assert.Equal(0, store.PendingNotifications());
        Assert.Empty(store.DueNotifications(T0 + (10 * Settle), 10));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public void ListIncidents_TimeAndSeverityFilters_MostSevereFirst_OtherTenantsApart(StoreKind kind)
    {
        using TestDatabase database = TestDatabase.Create(kind);
        using IServerStore store = StoreWithTenant(database, webhook: false);
        store.AddTenant(new Tenant("fabrikam", ["x@fabrikam.example"], null, T0), "hash-f");
        var day = new DateTime(2023, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        store.SaveIncidents("contoso", [Incident("low-early", Severity.Low, day, day.AddHours(1)), Incident("high-late", Severity.High, day.AddDays(2), day.AddDays(2).AddHours(3)), Incident("medium-mid", Severity.Medium, day.AddDays(1), day.AddDays(1).AddHours(1))], T0);
        store.SaveIncidents("fabrikam", [Incident("theirs", Severity.Critical, day, day.AddHours(1))], T0);

        Assert.Equal(["high-late", "medium-mid", "low-early"], store.ListIncidents("contoso", null, null, null).Select(i => i.Id));
        Assert.Equal(["high-late", "medium-mid"], store.ListIncidents("contoso", null, null, Severity.Medium).Select(i => i.Id));
        Assert.Equal(["medium-mid"], store.ListIncidents("contoso", day.AddDays(1), day.AddDays(2), null).Select(i => i.Id));
        Assert.Null(store.GetIncident("contoso", "theirs"));
        Assert.NotNull(store.GetIncident("fabrikam", "theirs"));
    }

    private static string Payload(IncidentChange change, StoredIncident incident) =>
        $"{(change.Kind == IncidentChangeKind.New ? "new" : "raised")}|{incident.Id}|{change.Severity}";

    private static StoredIncident Incident(string id, Severity severity, DateTime? first = null, DateTime? last = null) =>
        new("contoso", id, severity, first ?? new DateTime(2023, 6, 1, 0, 0, 0, DateTimeKind.Utc), last ?? new DateTime(2023, 6, 1, 1, 0, 0, DateTimeKind.Utc), $$"""{"id":"{{id}}"}""");

    private static IServerStore StoreWithTenant(TestDatabase database, bool webhook)
    {
        IServerStore store = database.Open();
        store.AddTenant(new Tenant("contoso", ["a@contoso.example", "b@contoso.example"], webhook ? new Uri("https://hooks.example/x") : null, T0), "hash-c", webhook ? "fws_secret" : null);
        return store;
    }
}
