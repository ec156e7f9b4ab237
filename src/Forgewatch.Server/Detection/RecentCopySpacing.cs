namespace Forgewatch.Server.Detection;

/// <summary>
/// When a stream's next recent copy is due: at least <c>leastRecords</c> observed since the last one, and
/// records whose observing cost (at the average cost per record so far) is at least
/// <see cref="CostSpacing.CostFactor"/> times what the last copy cost. A copy costs as much as the state is
/// large; spaced this way, copies take about a twentieth of the observing however large the state gets. Both
/// costs are measured with the same clock, moments apart, so a busy machine (the detection thread waiting for
/// a core) stretches both alike: the spacing follows the state's size, not the machine's load, which a spacing
/// in wall time would follow into ever rarer copies and longer replays.
/// </summary>
internal sealed class RecentCopySpacing(int leastRecords)
{
    private double _observeTicks;
    private long _observed;
    private long _copyTicks;

    /// <summary>One record was observed in <paramref name="ticks"/> (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public void Observed(long ticks)
    {
        _observeTicks += ticks;
        _observed++;
    }

    /// <summary>A copy was made in <paramref name="ticks"/>.</summary>
    public void Copied(long ticks) => _copyTicks = ticks;

    /// <summary>True when a copy is due after <paramref name="records"/> records observed since the last.</summary>
    public bool Due(long records) =>
        records >= leastRecords
        && (_observed == 0 || records * (_observeTicks / _observed) >= (double)CostSpacing.CostFactor * _copyTicks);
}
