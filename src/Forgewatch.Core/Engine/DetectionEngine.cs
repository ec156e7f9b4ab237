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

    /// <summary>No more events: lets every detection settle what is still waiting.</summary>
    public void Finish()
    {
        foreach (IDetection detection in Detections)
        {
            detection.Finish(Context);
        }
    }
}
