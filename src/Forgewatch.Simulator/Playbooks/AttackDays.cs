using Forgewatch.Simulator.Activity;
using Forgewatch.Simulator.Randomness;

namespace Forgewatch.Simulator.Playbooks;

/// <summary>When attacks happen: after the detections' baselines have had two weeks, where the period allows.</summary>
internal static class AttackDays
{
    /// <summary>Up to <paramref name="count"/> consecutive weekdays from a day drawn in the period's last part.</summary>
    public static List<int> Weekdays(SimulationClock clock, SimRandom random, int count)
    {
        int first = clock.Days > 20 ? random.Between(16, clock.Days - 4) : Math.Max(0, clock.Days - 3);
        var days = new List<int>(count);
        for (int day = first; day < clock.Days && days.Count < count; day++)
        {
            if (clock.IsWeekday(day))
            {
                days.Add(day);
            }
        }

        return days;
    }
}
