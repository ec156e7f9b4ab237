using Forgewatch.Core.Events;

namespace Forgewatch.Server.Storage;

/// <summary>Event time, then record id (ordinal): the order the stores give a tenant's events in and the
/// detections observe them in, whatever order they arrived.</summary>
public static class EventOrder
{
    public static int Compare(AuditEvent a, AuditEvent b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Time != b.Time ? a.Time.CompareTo(b.Time) : string.CompareOrdinal(a.RecordId, b.RecordId);
    }

    public static int Compare(StoredEvent a, StoredEvent b) => Compare(a.Event, b.Event);
}
