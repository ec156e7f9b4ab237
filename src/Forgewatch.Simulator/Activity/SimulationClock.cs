namespace Forgewatch.Simulator.Activity;

/// <summary>The simulated period: <see cref="Days"/> whole UTC days ending (exclusive) at <see cref="End"/>.
/// Fixed dates, never the wall clock, so a seed always gives the same bytes.</summary>
internal sealed record SimulationClock(DateTime End, int Days)
{
    /// <summary>The default end: Thursday 2023-06-01 00:00 UTC (the summer of Storm-0558).</summary>
    public static readonly DateTime DefaultEnd = new(2023, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    public DateTime Start => End.AddDays(-Days);

    public DateTime DayStart(int day) => Start.AddDays(day);

    public bool IsWeekday(int day) => DayStart(day).DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
}
