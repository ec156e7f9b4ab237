using Forgewatch.Core.Alerts;
using Forgewatch.Core.Events;
using Forgewatch.Server.Storage;

namespace Forgewatch.Server.Detection;

/// <summary>
/// The tenant's mail accesses that carry an actor key of one of its incidents: what the exposure pass reads.
/// Kept as records come in, so finding what an incident's actor read does not read the whole history again.
/// When an incident names a key not wanted before, the last <see cref="RecentCapacity"/> mail accesses (kept
/// in memory) are looked through at once, and the whole history is read from the store at most every
/// <c>rescanEvery</c> (a new incident every second must not cost a read of the history every second): until
/// then the exposure of the new keys is <see cref="Partial"/>, holding what they read among the recent records.
/// </summary>
public sealed class ExposureEvents(TimeSpan rescanEvery)
{
    private readonly HashSet<ActorKey> _wanted = [];
    private readonly List<MailAccessEvent> _events = [];
    private readonly HashSet<string> _kept = new(StringComparer.Ordinal);
    private bool _sorted = true;
    private long _lastFullScan = long.MinValue;
    private readonly Queue<MailAccessEvent> _recent = new();

    /// <summary>Recent mail accesses kept for the keys of new incidents.</summary>
    public const int RecentCapacity = 20_000;

    /// <summary>True while keys wanted since the last read of the whole history have only their recent records.</summary>
    public bool Partial { get; private set; }

    private bool FullScanDue => _lastFullScan == long.MinValue || Environment.TickCount64 - _lastFullScan >= (long)rescanEvery.TotalMilliseconds;

    /// <summary>The mail accesses carrying a wanted key, in time order (then record id).</summary>
    public IEnumerable<AuditEvent> Events
    {
        get
        {
            if (!_sorted)
            {
                _events.Sort(EventOrder.Compare);
                _sorted = true;
            }

            return _events;
        }
    }

    /// <summary>Keeps <paramref name="e"/> when it is a mail access carrying a wanted key.</summary>
    public void Offer(AuditEvent e)
    {
        if (e is not MailAccessEvent access)
        {
            return;
        }

        if (_recent.Count == RecentCapacity)
        {
            _recent.Dequeue();
        }

        _recent.Enqueue(access);
        if (_wanted.Count > 0 && Carries(access))
        {
            Keep(access);
        }
    }

    /// <summary>Wants <paramref name="keys"/> too. When one is new: reads the tenant's whole history (of batches
    /// up to <paramref name="batch"/>, those taken in so far) when a full read is due, else looks through the
    /// recent records.</summary>
    public void Want(IEnumerable<ActorKey> keys, IServerStore store, string tenant, long batch)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(store);
        bool added = false;
        foreach (ActorKey key in keys)
        {
            added |= _wanted.Add(key);
        }

        if (!added)
        {
            return;
        }

        if (FullScanDue)
        {
            ReadAll(store, tenant, batch);
            return;
        }

        Partial = true;
        Read(_recent);
    }

    /// <summary>Reads the whole history for the keys wanted when the exposure is partial and a full read is due.</summary>
    public void Complete(IServerStore store, string tenant, long batch)
    {
        if (Partial && FullScanDue)
        {
            ReadAll(store, tenant, batch);
        }
    }

    private void ReadAll(IServerStore store, string tenant, long batch)
    {
        _events.Clear();
        _kept.Clear();
        _sorted = true;
        Read(StoredPages.Between(store, tenant, DateTime.MinValue, DateTime.MaxValue, batch));
        Partial = false;
        _lastFullScan = Environment.TickCount64;
    }

    private void Read(IEnumerable<AuditEvent> events)
    {
        foreach (AuditEvent e in events)
        {
            if (e is MailAccessEvent access && Carries(access))
            {
                Keep(access);
            }
        }
    }

    private void Keep(MailAccessEvent access)
    {
        if (!_kept.Add(access.RecordId))
        {
            return;
        }

        if (_events.Count > 0 && _events[^1].Time > access.Time)
        {
            _sorted = false;
        }

        _events.Add(access);
    }

    /// <summary>The keys the exposure pass matches a mail access by (<see cref="Core.Exposure.ExposureCollector"/>).</summary>
    private bool Carries(MailAccessEvent access) =>
        Has(ActorKind.Session, access.AadSessionId)
        || Has(ActorKind.Session, access.SessionId)
        || Has(ActorKind.Token, access.UniqueTokenId)
        || Has(ActorKind.Ip, access.ClientAddress)
        || Has(ActorKind.App, access.AppId)
        || Has(ActorKind.App, access.ClientAppId);

    private bool Has(ActorKind kind, string? value) => !string.IsNullOrEmpty(value) && _wanted.Contains(new ActorKey(kind, value));
}
