using Forgewatch.Core.Engine.Snapshots;

namespace Forgewatch.Core.Coverage;

/// <summary>One log stream of one tenant: record count, first and last time, and the hours seen.</summary>
public sealed class StreamCoverage
{
    private readonly HashSet<long> _hours = [];
    private long _lastHour = long.MinValue;

    public long Records { get; private set; }

    public DateTime First { get; private set; } = DateTime.MaxValue;

    public DateTime Last { get; private set; } = DateTime.MinValue;

    public void Add(DateTime time)
    {
        Records++;
        if (time < First)
        {
            First = time;
        }

        if (time > Last)
        {
            Last = time;
        }

        long hour = time.Ticks / TimeSpan.TicksPerHour;
        if (hour != _lastHour)
        {
            _hours.Add(hour);
            _lastHour = hour;
        }
    }

    /// <summary>
    /// The covered spans: runs of hours with records, joined where the gap between them is at most
    /// <paramref name="gapTolerance"/>. Each span runs from the start of its first hour to the end of its last.
    /// </summary>
    public IReadOnlyList<(DateTime From, DateTime To)> Spans(TimeSpan gapTolerance)
    {
        var spans = new List<(DateTime, DateTime)>();
        long tolerance = Math.Max(0, gapTolerance.Ticks / TimeSpan.TicksPerHour);
        long start = 0;
        long end = -1;
        foreach (long hour in _hours.Order())
        {
            if (end >= 0 && hour - end - 1 <= tolerance)
            {
                end = hour;
                continue;
            }

            if (end >= 0)
            {
                spans.Add(ToSpan(start, end));
            }

            start = hour;
            end = hour;
        }

        if (end >= 0)
        {
            spans.Add(ToSpan(start, end));
        }

        return spans;
    }

    /// <summary>A new coverage holding both this one's records and <paramref name="other"/>'s.</summary>
    public StreamCoverage Merge(StreamCoverage other)
    {
        var merged = new StreamCoverage
        {
            Records = Records + other.Records,
            First = First < other.First ? First : other.First,
            Last = Last > other.Last ? Last : other.Last,
        };
        merged._hours.UnionWith(_hours);
        merged._hours.UnionWith(other._hours);
        return merged;
    }

    public bool Covers(DateTime time, TimeSpan gapTolerance) =>
        Spans(gapTolerance).Any(s => time >= s.From && time < s.To);

    internal void WriteState(SnapshotWriter w)
    {
        w.WriteInt64(Records);
        w.WriteTime(First);
        w.WriteTime(Last);
        w.WriteItems(_hours, static (w, hour) => w.WriteInt64(hour));
    }

    internal static StreamCoverage ReadState(SnapshotReader r)
    {
        var coverage = new StreamCoverage { Records = r.ReadInt64(), First = r.ReadTime(), Last = r.ReadTime() };
        r.ReadItems(r => coverage._hours.Add(r.ReadInt64()));
        return coverage;
    }

    private static (DateTime, DateTime) ToSpan(long firstHour, long lastHour) =>
        (new DateTime(firstHour * TimeSpan.TicksPerHour, DateTimeKind.Utc), new DateTime((lastHour + 1) * TimeSpan.TicksPerHour, DateTimeKind.Utc));
}
