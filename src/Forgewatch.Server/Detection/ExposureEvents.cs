using Forgewatch.Core.Alerts;
using Forgewatch.Core.Events;
using Forgewatch.Server.Storage;

namespace Forgewatch.Server.Detection;

/// <summary>
/// The tenant's mail accesses that carry an actor key of one of its alerts: what the exposure pass reads.
/// Kept as records come in, so finding what an incident's actor read does not read the whole history again;
/// read from the store only when an alert names a key not wanted before.
/// </summary>
public sealed class ExposureEvents
{
    private readonly HashSet<ActorKey> _wanted = [];
    private readonly List<MailAccessEvent> _events = [];
    private bool _sorted = true;

    /// <summary>The mail accesses carrying a wanted key, in time order (then record id).</summary>
    public IEnumerable<AuditEvent> Events
    {
        get
        {
            if (!_sorted)
            {
                _events.Sort(static (a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : string.CompareOrdinal(a.RecordId, b.RecordId));
                _sorted = true;
            }

            return _events;
        }
    }

    /// <summary>Keeps <paramref name="e"/> when it is a mail access carrying a wanted key.</summary>
    public void Offer(AuditEvent e)
    {
        if (_wanted.Count > 0 && e is MailAccessEvent access && Carries(access))
        {
            Keep(access);
        }
    }

    /// <summary>Wants <paramref name="keys"/> too; when one is new, reads the tenant's mail accesses of batches up
    /// to <paramref name="batch"/> (those taken in so far) from the store again.</summary>
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

        _events.Clear();
        _sorted = true;
        foreach (AuditEvent e in StoredPages.Between(store, tenant, DateTime.MinValue, DateTime.MaxValue, batch))
        {
            if (e is MailAccessEvent access && Carries(access))
            {
                Keep(access);
            }
        }
    }

    private void Keep(MailAccessEvent access)
    {
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
