using Forgewatch.Core.Alerts;
using Forgewatch.Core.Events;

namespace Forgewatch.Core.Engine.Spool;

/// <summary>
/// Holds every event of a scan as bytes (see <see cref="EventCodec"/>), in memory up to a budget and in a
/// temporary file beyond it, with a small index entry per event; replays them in event-time order as often
/// as asked. Ties in time are broken by file, then position in the file, so a replay is the same whatever
/// order parallel readers delivered the records in. The process then holds the detections' state, not the
/// events. Not thread-safe.
/// </summary>
public sealed class EventSpool : IDisposable
{
    /// <summary>Default bytes of events kept in memory before the spool moves to a temporary file.</summary>
    public const long DefaultMemoryBudget = 256L << 20;

    private readonly StringTable _strings = new();
    private readonly StringTable _sources = new();
    private readonly SpoolWriter _writer;
    private readonly SpoolStorage _storage;
    private Entry[] _entries = new Entry[4096];
    private ActorHashes[] _actors = [];
    private bool _sorted;

    /// <param name="memoryBudget">Bytes kept in memory; the rest goes to a temporary file.</param>
    /// <param name="directory">Folder for the temporary file (the system's by default).</param>
    public EventSpool(long memoryBudget = DefaultMemoryBudget, string? directory = null)
    {
        _writer = new SpoolWriter(_strings);
        _storage = new SpoolStorage(memoryBudget, directory);
    }

    public int Count { get; private set; }

    /// <summary>Bytes of events held in memory and in the temporary file.</summary>
    public (long Memory, long File) Bytes => (_storage.MemoryBytes, _storage.FileBytes);

    public void Add(AuditEvent e)
    {
        _writer.Clear();
        EventCodec.Write(e, _writer);
        long position = _storage.Append(_writer.Written);
        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        _entries[Count] = new Entry(e.Time.Ticks, _sources.IdOf(e.Origin.Source), e.Origin.ByteOffset, Count, position, _writer.Length, e is MailAccessEvent);
        if (e is MailAccessEvent access)
        {
            if (Count >= _actors.Length)
            {
                Array.Resize(ref _actors, Math.Max(_entries.Length, 4096));
            }

            _actors[Count] = ActorHashes.Of(access);
        }

        Count++;
        _sorted = false;
    }

    /// <summary>The mail accesses, in time order, that may carry one of <paramref name="keys"/>; the others
    /// are not decoded. Keys are matched by hash, so callers still compare the keys of what they get.</summary>
    public IEnumerable<MailAccessEvent> ReplayMailAccess(IEnumerable<ActorKey> keys)
    {
        HashSet<int> actors = [.. keys.Select(ActorHashes.Of)];
        if (actors.Count == 0)
        {
            yield break;
        }

        Sort();
        for (int i = 0; i < Count; i++)
        {
            Entry entry = _entries[i];
            if (entry.MailAccess && _actors[entry.Sequence].AnyIn(actors))
            {
                yield return (MailAccessEvent)EventCodec.Read(_storage.Read(entry.Position, entry.Length), _strings);
            }
        }
    }

    /// <summary>The events in time order; with <paramref name="mailAccessOnly"/>, only mail accesses
    /// (the others are not decoded).</summary>
    public IEnumerable<AuditEvent> Replay(bool mailAccessOnly = false)
    {
        Sort();
        for (int i = 0; i < Count; i++)
        {
            Entry entry = _entries[i];
            if (mailAccessOnly && !entry.MailAccess)
            {
                continue;
            }

            yield return EventCodec.Read(_storage.Read(entry.Position, entry.Length), _strings);
        }
    }

    public void Dispose() => _storage.Dispose();

    private void Sort()
    {
        if (!_sorted)
        {
            Array.Sort(_entries, 0, Count, new EntryComparer(_sources));
            _sorted = true;
        }
    }

    private readonly record struct Entry(long Ticks, int Source, long Offset, int Sequence, long Position, int Length, bool MailAccess);

    private sealed class EntryComparer(StringTable sources) : IComparer<Entry>
    {
        public int Compare(Entry x, Entry y)
        {
            int order = x.Ticks.CompareTo(y.Ticks);
            if (order != 0)
            {
                return order;
            }

            if (x.Source != y.Source)
            {
                int bySource = string.CompareOrdinal(sources[x.Source], sources[y.Source]);
                if (bySource != 0)
                {
                    return bySource;
                }
            }

            order = x.Offset.CompareTo(y.Offset);
            return order != 0 ? order : x.Sequence.CompareTo(y.Sequence);
        }
    }
}
