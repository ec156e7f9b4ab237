using Forgewatch.Core.Alerts;
using Forgewatch.Core.Events;
using Forgewatch.Server.Incidents;
using Forgewatch.Server.Notifications;
using Forgewatch.Server.Tenants;

namespace Forgewatch.Server.Storage;

/// <summary>
/// Where the server keeps tenants and the events pushed for them. Every method is safe to call from many
/// threads at once. A method that returns has committed its change durably (the storage's strongest
/// synchronous setting), so an acknowledged batch survives a crash of the process or the machine.
/// </summary>
public interface IServerStore : IDisposable
{
    /// <summary>Adds a tenant with the hash of its ingestion key and the secret its webhook messages are signed
    /// with; false when the id is taken.</summary>
    bool AddTenant(Tenant tenant, string keyHash, string? webhookSecret = null);

    IReadOnlyList<Tenant> ListTenants();

    /// <summary>Removes a tenant and everything stored for it; false when there was no such tenant.</summary>
    bool RemoveTenant(string id);

    /// <summary>The id of the tenant whose key has this hash, or null.</summary>
    string? TenantForKey(string keyHash);

    /// <summary>Stores a batch's events in one transaction, each record id once per tenant: returns how many
    /// were new and how many were already stored, and the new ones themselves in the batch's order (what
    /// <see cref="ReadNewEvents"/> gives for the batch). Either all of the batch is committed or none of it.</summary>
    StoredBatch StoreEvents(string tenant, IReadOnlyList<AuditEvent> events, DateTimeOffset received);

    /// <summary>How many events are stored for the tenant.</summary>
    long CountEvents(string tenant);

    /// <summary>Every event stored for the tenant, in event time order (then record id).</summary>
    IReadOnlyList<AuditEvent> ReadEvents(string tenant);

    /// <summary>The tenant's events at or after <paramref name="from"/> in event time, and those of batches
    /// after <paramref name="afterBatch"/> whatever their time, in event time order (then record id), each with
    /// its batch: what came after a detection snapshot. Batch ids grow in commit order per tenant, so a reader
    /// that has seen batch n has seen every batch before it.</summary>
    IReadOnlyList<StoredEvent> ReadEventsAfter(string tenant, DateTime from, long afterBatch);

    /// <summary>A page of the tenant's events at or after <paramref name="from"/> in event time, of batches up to
    /// <paramref name="maxBatch"/>, in event time order then record id: the earliest <paramref name="limit"/>,
    /// and then every other event at the time of the last of them, so that a page always ends with a whole
    /// instant and the next starts just after it. Lets a replay of a long history hold one page at a time.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="from">The earliest event time.</param>
    /// <param name="maxBatch">The last batch whose events are read.</param>
    /// <param name="limit">Events in the page, before the rest of its last instant.</param>
    /// <param name="mailAccessOnly">Only mail accesses (picked by <see cref="EventBytes.KindOffset"/> in the store,
    /// the others neither read nor decoded), paged as if the others were not there.</param>
    IReadOnlyList<StoredEvent> ReadEventsPage(string tenant, DateTime from, long maxBatch, int limit, bool mailAccessOnly = false);

    /// <summary>The events of the tenant's batches after <paramref name="afterBatch"/>, whole batches in commit
    /// order, as many batches as hold about <paramref name="limit"/> events (at least one batch when there is
    /// one): taking in what came after a point a bounded part at a time.</summary>
    IReadOnlyList<StoredEvent> ReadNewEvents(string tenant, long afterBatch, int limit);

    /// <summary>The tenant's batches after <paramref name="afterBatch"/> in commit order, each with how many
    /// events it stored, as many as hold about <paramref name="limit"/> events (at least one when there is
    /// one): the list <see cref="ReadNewEvents"/> reads, without the events.</summary>
    IReadOnlyList<(long Batch, int Stored)> NewBatches(string tenant, long afterBatch, int limit);

    /// <summary>The last batch committed for the tenant (0 when none).</summary>
    long LastBatch(string tenant);

    /// <summary>Replaces the tenant's detection snapshot.</summary>
    void SaveSnapshot(string tenant, DetectionSnapshot snapshot);

    /// <summary>The tenant's detection snapshot, or null.</summary>
    DetectionSnapshot? LoadSnapshot(string tenant);

    /// <summary>Where a pull source of the tenant got to (e.g. the last content listed), or null.</summary>
    string? ReadCheckpoint(string tenant, string source);

    /// <summary>Records where a pull source of the tenant got to; replaces the previous value.</summary>
    void SaveCheckpoint(string tenant, string source, string value, DateTimeOffset now);

    /// <summary>Keeps an indicator file (CSV or STIX) for the tenant: its investigations match it against the
    /// whole stored history from now on.</summary>
    void AddIndicatorFile(string tenant, string name, byte[] content, DateTimeOffset now);

    /// <summary>The tenant's indicator files, oldest first.</summary>
    IReadOnlyList<(string Name, byte[] Content)> IndicatorFiles(string tenant);

    /// <summary>How many indicator files the tenant has (without reading them).</summary>
    int CountIndicatorFiles(string tenant);

    /// <summary>The tenant's webhook signing secret and body format, or null when it has no webhook.</summary>
    (string Secret, string Format)? WebhookSettings(string tenant);

    /// <summary>Makes <paramref name="incidents"/> the tenant's incidents: the latest investigation is the
    /// truth, so incidents it no longer finds are removed. An incident found before keeps when it was first
    /// found and what was last notified of it.</summary>
    void SaveIncidents(string tenant, IReadOnlyList<StoredIncident> incidents, DateTimeOffset now);

    /// <summary>For every incident that is final (<see cref="StoredIncident.Final"/>) or was found at least
    /// <paramref name="settle"/> ago (so partial data that a later batch explains away is not announced) whose severity is above what was last notified, puts one
    /// notification per route into the outbox and records the severity, in one transaction: to the tenant's
    /// webhook, and with <paramref name="email"/> to each admin. <paramref name="payload"/> writes the JSON
    /// body. Returns how many changes were announced.</summary>
    int NotifySettled(DateTimeOffset now, TimeSpan settle, bool email, Func<IncidentChange, StoredIncident, string> payload);

    /// <summary>The tenant's incidents that overlap [since, until) and are at least
    /// <paramref name="minimum"/> severe, most severe first, then latest first.</summary>
    IReadOnlyList<StoredIncident> ListIncidents(string tenant, DateTime? since, DateTime? until, Severity? minimum);

    /// <summary>One of the tenant's incidents, or null (also for another tenant's incident id).</summary>
    StoredIncident? GetIncident(string tenant, string id);

    /// <summary>Undelivered notifications due at <paramref name="now"/>, oldest first.</summary>
    IReadOnlyList<Notification> DueNotifications(DateTimeOffset now, int limit);

    /// <summary>Undelivered notifications, due or waiting for a retry.</summary>
    long PendingNotifications();

    /// <summary>Marks a notification delivered: it is never sent again.</summary>
    void MarkDelivered(long id, DateTimeOffset at);

    /// <summary>Counts a failed attempt and sets when to try again.</summary>
    void Reschedule(long id, DateTimeOffset retryAt, string failure);
}

/// <summary>A stored event with the batch that committed it.</summary>
public readonly record struct StoredEvent(long Batch, AuditEvent Event);

/// <summary>A tenant's detection state as of <paramref name="Horizon"/>: it has observed exactly the events
/// before that time which were committed in batches up to <paramref name="Batch"/>, with
/// <paramref name="IndicatorFiles"/> indicator files. <paramref name="Data"/> is opaque to the store.</summary>
public sealed record DetectionSnapshot(DateTime Horizon, long Batch, int IndicatorFiles, byte[] Data, DateTimeOffset Taken);

/// <summary>The outcome of <see cref="IServerStore.StoreEvents"/>.</summary>
public readonly record struct StoredBatch(long BatchId, int Stored, int Duplicates)
{
    /// <summary>The events that were new, in the batch's order.</summary>
    public IReadOnlyList<AuditEvent> New { get; init; } = [];
}
