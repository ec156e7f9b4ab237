using Forgewatch.Core.Events;

namespace Forgewatch.Core.Detections;

/// <summary>
/// The records of a window that a threshold detection has not cited yet: when the threshold is crossed, the
/// alert cites the whole window, not only the record that crossed it. Bounded, oldest dropped first.
/// </summary>
internal static class HeldEvidence
{
    public const int MaxHeld = 256;

    /// <summary>Adds <paramref name="e"/> and drops records before <paramref name="windowStart"/>
    /// (the list is in time order).</summary>
    public static void Add<T>(List<T> held, T e, DateTime windowStart)
        where T : AuditEvent
    {
        int stale = 0;
        while (stale < held.Count && held[stale].Time < windowStart)
        {
            stale++;
        }

        if (held.Count - stale >= MaxHeld)
        {
            stale++;
        }

        if (stale > 0)
        {
            held.RemoveRange(0, Math.Min(stale, held.Count));
        }

        held.Add(e);
    }

    /// <summary>The held records, oldest first; the list is emptied.</summary>
    public static List<T> Take<T>(List<T> held)
    {
        var taken = new List<T>(held);
        held.Clear();
        return taken;
    }
}
