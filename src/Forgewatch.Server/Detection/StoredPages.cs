using Forgewatch.Core.Events;
using Forgewatch.Server.Storage;

namespace Forgewatch.Server.Detection;

/// <summary>A tenant's stored events over a span of event time, read a page at a time
/// (<see cref="IServerStore.ReadEventsPage"/>), so that replaying a long history never holds it whole.</summary>
public static class StoredPages
{
    /// <summary>Events per page.</summary>
    public const int PageSize = 10_000;

    /// <summary>The events in [<paramref name="from"/>, <paramref name="until"/>) of batches up to
    /// <paramref name="maxBatch"/>, in time order (then record id); only the mail accesses with
    /// <paramref name="mailAccessOnly"/> (the others are not decoded).</summary>
    public static IEnumerable<AuditEvent> Between(IServerStore store, string tenant, DateTime from, DateTime until, long maxBatch, bool mailAccessOnly = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        DateTime cursor = from;
        while (cursor < until)
        {
            IReadOnlyList<StoredEvent> page = store.ReadEventsPage(tenant, cursor, maxBatch, PageSize, mailAccessOnly);
            foreach (StoredEvent stored in page)
            {
                if (stored.Event.Time >= until)
                {
                    yield break;
                }

                yield return stored.Event;
            }

            // A page ends with a whole instant: the next starts just after it.
            if (page.Count == 0 || page[^1].Event.Time == DateTime.MaxValue)
            {
                yield break;
            }

            cursor = page[^1].Event.Time.AddTicks(1);
        }
    }
}
