using Forgewatch.Core.Events;

namespace Forgewatch.Core.Engine;

/// <summary>
/// Runs detections over events in event-time order. Time moves only with the events: each new minute of
/// event time first lets every detection settle what was waiting (<see cref="IDetection.Advance"/>), then
/// the minute's events are observed. Not thread-safe: one engine per ordered stream.
/// </summary>
public sealed class DetectionEngine(IReadOnlyList<IDetection> detections, DetectionContext context)
{
    private long _minute = long.MinValue;
    private DateTime _now = DateTime.MinValue;

    public IReadOnlyList<IDetection> Detections { get; } = detections;

    public DetectionContext Context { get; } = context;

    /// <summary>Events observed so far.</summary>
    public long Events { get; private set; }

    /// <summary>Observes one event of <paramref name="tenant"/>; it must not be earlier than the last one.</summary>
    public void Process(AuditEvent e, string tenant)
    {
        if (e.Time < _now)
        {
            throw new InvalidOperationException($"Events must arrive in time order: {e.Time:O} came after {_now:O}.");
        }

        _now = e.Time;
        long minute = e.Time.Ticks / TimeSpan.TicksPerMinute;
        if (minute != _minute)
        {
            _minute = minute;
            foreach (IDetection detection in Detections)
            {
                detection.Advance(e.Time, Context);
            }
        }

        foreach (IDetection detection in Detections)
        {
            detection.Observe(e, tenant, Context);
        }

        Events++;
    }

    /// <summary>The minute of event time the detections last advanced to, and the last event's time: with
    /// <see cref="Events"/>, what a snapshot keeps of the engine itself (Snapshots/EngineSnapshot).</summary>
    internal (long Minute, DateTime Now) Clock => (_minute, _now);

    /// <summary>Sets the clock and count as a snapshot kept them, on an engine that has seen no events.</summary>
    internal void Restore(long minute, DateTime now, long events)
    {
        if (Events != 0 || _now != DateTime.MinValue)
        {
            throw new InvalidOperationException("Only an engine that has seen no events can be restored.");
        }

        _minute = minute;
        _now = now;
        Events = events;
    }

    /// <summary>No more events: lets every detection settle what is still waiting.</summary>
    public void Finish()
    {
        foreach (IDetection detection in Detections)
        {
            detection.Finish(Context);
        }
    }
}
