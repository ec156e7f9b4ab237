using System.Runtime.InteropServices;
using Forgewatch.Core.Events;
using Forgewatch.Server.Storage;

namespace Forgewatch.Server.Detection;

/// <summary>
/// The events waiting for a stream's horizon, given in <see cref="EventOrder"/>. New events are appended as they
/// come; when the waiting events are next asked for, those appended since are sorted on their own and merged
/// with the rest in one pass. A tenant whose records wait for its other log (up to hundreds of thousands of
/// them) then pays for each batch's sort, not for a sort of everything waiting at every batch.
/// </summary>
public sealed class WaitingEvents
{
    private static readonly IComparer<AuditEvent> Order = Comparer<AuditEvent>.Create(EventOrder.Compare);

    private List<AuditEvent> _events = [];

    /// <summary>How many events at the front are in order.</summary>
    private int _sorted;

    public int Count => _events.Count;

    public void Add(AuditEvent e)
    {
        if (_sorted == _events.Count && (_sorted == 0 || EventOrder.Compare(_events[^1], e) <= 0))
        {
            _sorted++;
        }

        _events.Add(e);
    }

    /// <summary>Every waiting event, in order.</summary>
    public IReadOnlyList<AuditEvent> InOrder()
    {
        if (_sorted < _events.Count)
        {
            _events.Sort(_sorted, _events.Count - _sorted, Order);
            if (_sorted > 0 && EventOrder.Compare(_events[_sorted - 1], _events[_sorted]) > 0)
            {
                _events = Merged(_events, _sorted);
            }

            _sorted = _events.Count;
        }

        return _events;
    }

    /// <summary>Drops the first <paramref name="count"/> events in order (those the engine has observed).</summary>
    public void RemoveFirst(int count)
    {
        InOrder();
        _events.RemoveRange(0, count);
        _sorted -= count;
    }

    public void Clear()
    {
        _events = [];
        _sorted = 0;
    }

    /// <summary>The two ordered runs of <paramref name="events"/>, before and from <paramref name="split"/>,
    /// merged; on a tie the first run's event comes first.</summary>
    private static List<AuditEvent> Merged(List<AuditEvent> events, int split)
    {
        var merged = new List<AuditEvent>(events.Count);
        int a = 0;
        int b = split;
        while (a < split && b < events.Count)
        {
            merged.Add(EventOrder.Compare(events[a], events[b]) <= 0 ? events[a++] : events[b++]);
        }

        ReadOnlySpan<AuditEvent> all = CollectionsMarshal.AsSpan(events);
        merged.AddRange(all[a..split]);
        merged.AddRange(all[b..]);
        return merged;
    }
}
