using Forgewatch.Core.Events;

namespace Forgewatch.Core.Engine;

/// <summary>
/// Puts events that arrive unsorted, from several files, into event-time order; events with the same time
/// keep their arrival order, so a run is reproducible. Holds the events until replayed, which may be done
/// more than once (detection, then exposure). Not thread-safe.
/// </summary>
public sealed class EventTimeOrder
{
    private Entry[] _entries = new Entry[1024];
    private int _count;
    private bool _sorted = true;

    public int Count => _count;

    public void Add(AuditEvent e)
    {
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        long ticks = e.Time.Ticks;
        if (_count > 0 && ticks < _entries[_count - 1].Ticks)
        {
            _sorted = false;
        }

        _entries[_count] = new Entry(ticks, _count, e);
        _count++;
    }

    /// <summary>The events in time order.</summary>
    public IEnumerable<AuditEvent> Replay()
    {
        if (!_sorted)
        {
            Array.Sort(_entries, 0, _count, EntryComparer.Instance);
            _sorted = true;
        }

        for (int i = 0; i < _count; i++)
        {
            yield return _entries[i].Event;
        }
    }

    private readonly record struct Entry(long Ticks, int Sequence, AuditEvent Event);

    private sealed class EntryComparer : IComparer<Entry>
    {
        public static readonly EntryComparer Instance = new();

        public int Compare(Entry x, Entry y)
        {
            int byTime = x.Ticks.CompareTo(y.Ticks);
            return byTime != 0 ? byTime : x.Sequence.CompareTo(y.Sequence);
        }
    }
}
