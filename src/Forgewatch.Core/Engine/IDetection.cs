using Forgewatch.Core.Events;

namespace Forgewatch.Core.Engine;

/// <summary>
/// A detection: a pure step over events in event-time order and the state it keeps in
/// <see cref="KeyedState{TState}"/>. It never reads the clock, files or the network; everything it needs is
/// in the event and the <see cref="DetectionContext"/>, so the same code runs in a scan and in a server.
/// </summary>
public interface IDetection
{
    /// <summary>Stable id, e.g. <c>FW1001</c>; names the page under docs/detections/.</summary>
    string Id { get; }

    /// <summary>Short title of the alerts it raises.</summary>
    string Title { get; }

    /// <summary>Looks at one event of <paramref name="tenant"/>. Events arrive in event-time order.</summary>
    void Observe(AuditEvent e, string tenant, DetectionContext context);

    /// <summary>Event time has reached <paramref name="now"/>: settle what was waiting for it and drop state
    /// that can no longer matter. Called at least once per minute of event time, before that minute's events.</summary>
    void Advance(DateTime now, DetectionContext context)
    {
    }

    /// <summary>No more events: settle everything still waiting.</summary>
    void Finish(DetectionContext context)
    {
    }
}
