using Forgewatch.Core.Engine.Snapshots;

namespace Forgewatch.Core.Engine;

/// <summary>
/// How many records each detection could evaluate per tenant, and how many it could not and why (sign-in
/// logs missing for the time, no session identifier in the record...). Written to <c>coverage.json</c>, so
/// that "no alert" is never mistaken for "nothing happened". Not thread-safe.
/// </summary>
public sealed class EvaluationLog
{
    private readonly Dictionary<(string Detection, string Tenant), Entry> _entries = [];
    private readonly Entry?[] _recent = new Entry?[8];
    private int _next;

    public void Evaluated(string detection, string tenant) => EntryOf(detection, tenant).Evaluated++;

    public void NotEvaluated(string detection, string tenant, string reason, DateTime time)
    {
        Entry entry = EntryOf(detection, tenant);
        Skip? skip = ReferenceEquals(entry.LastReason, reason) ? entry.LastSkip : null;
        if (skip is null && !entry.Skipped.TryGetValue(reason, out skip))
        {
            skip = new Skip(time);
            entry.Skipped[reason] = skip;
        }

        entry.LastReason = reason;
        entry.LastSkip = skip;
        skip.Add(time);
    }

    /// <summary>Adds every count of <paramref name="other"/> (another engine's) to this log.</summary>
    public void Add(EvaluationLog other)
    {
        foreach (((string detection, string tenant), Entry theirs) in other._entries)
        {
            Entry mine = EntryOf(detection, tenant);
            mine.Evaluated += theirs.Evaluated;
            foreach ((string reason, Skip skip) in theirs.Skipped)
            {
                if (mine.Skipped.TryGetValue(reason, out Skip? existing))
                {
                    existing.Records += skip.Records;
                    existing.First = skip.First < existing.First ? skip.First : existing.First;
                    existing.Last = skip.Last > existing.Last ? skip.Last : existing.Last;
                }
                else
                {
                    mine.Skipped[reason] = new Skip(skip.First) { Records = skip.Records, Last = skip.Last };
                }
            }
        }
    }

    /// <summary>Every detection and tenant with counts, ordered by tenant then detection.</summary>
    public IEnumerable<(string Detection, string Tenant, long Evaluated, IReadOnlyList<(string Reason, long Records, DateTime First, DateTime Last)> NotEvaluated)> Entries =>
        _entries.OrderBy(p => p.Key.Tenant, StringComparer.Ordinal).ThenBy(p => p.Key.Detection, StringComparer.Ordinal)
            .Select(p => (p.Key.Detection, p.Key.Tenant, p.Value.Evaluated,
                (IReadOnlyList<(string, long, DateTime, DateTime)>)p.Value.Skipped.OrderBy(s => s.Key, StringComparer.Ordinal)
                    .Select(s => (s.Key, s.Value.Records, s.Value.First, s.Value.Last)).ToList()));

    /// <summary>Records a detection could not evaluate, over all tenants and reasons.</summary>
    public long NotEvaluatedTotal(string detection) =>
        _entries.Where(p => p.Key.Detection == detection).Sum(p => p.Value.Skipped.Values.Sum(s => s.Records));

    /// <summary>Writes every count, in table order (the recent-entry cache is not state).</summary>
    internal void WriteState(SnapshotWriter writer) =>
        writer.WriteItems(_entries.Values, static (w, entry) =>
        {
            w.WriteString(entry.Detection);
            w.WriteString(entry.Tenant);
            w.WriteInt64(entry.Evaluated);
            w.WriteItems(entry.Skipped, static (w, skip) =>
            {
                w.WriteString(skip.Key);
                w.WriteInt64(skip.Value.Records);
                w.WriteTime(skip.Value.First);
                w.WriteTime(skip.Value.Last);
            });
        });

    /// <summary>Replaces every count with those <see cref="WriteState"/> wrote.</summary>
    internal void ReadState(SnapshotReader reader)
    {
        _entries.Clear();
        Array.Clear(_recent);
        _next = 0;
        reader.ReadItems(r =>
        {
            var entry = new Entry(r.ReadString(), r.ReadString()) { Evaluated = r.ReadInt64() };
            r.ReadItems(r => entry.Skipped.Add(r.ReadString(), new Skip(DateTime.MinValue) { Records = r.ReadInt64(), First = r.ReadTime(), Last = r.ReadTime() }));
            _entries.Add((entry.Detection, entry.Tenant), entry);
        });
    }

    private Entry EntryOf(string detection, string tenant)
    {
        // Detections count every record: most calls repeat the previous detection and tenant of the same event.
        foreach (Entry? recent in _recent)
        {
            if (recent is not null && ReferenceEquals(recent.Detection, detection) && ReferenceEquals(recent.Tenant, tenant))
            {
                return recent;
            }
        }

        if (!_entries.TryGetValue((detection, tenant), out Entry? entry))
        {
            entry = new Entry(detection, tenant);
            _entries[(detection, tenant)] = entry;
        }

        _recent[_next] = entry;
        _next = (_next + 1) % _recent.Length;
        return entry;
    }

    private sealed class Entry(string detection, string tenant)
    {
        public readonly string Detection = detection;
        public readonly string Tenant = tenant;
        public long Evaluated;
        public readonly Dictionary<string, Skip> Skipped = new(StringComparer.Ordinal);
        public string? LastReason;
        public Skip? LastSkip;
    }

    private sealed class Skip(DateTime first)
    {
        public long Records;
        public DateTime First = first;
        public DateTime Last = first;

        public void Add(DateTime time)
        {
            Records++;
            First = time < First ? time : First;
            Last = time > Last ? time : Last;
        }
    }
}
