namespace Forgewatch.Server.Detection;

/// <summary>
/// When a piece of work done over and over, whose cost grows with the tenant (the scratch copy of the detections,
/// a read of the whole history), is due again: <c>every</c> after its last run started, and no sooner than
/// <see cref="CostFactor"/> times what that run took, so that it takes at most about a twentieth of the time
/// however large it gets. The first run is due at once; with <c>every</c> 0, every run is. A run may end on
/// another thread than the one that asks.
/// </summary>
internal sealed class CostSpacing(TimeSpan every)
{
    /// <summary>Least time between two starts, in multiples of the last run's duration.</summary>
    public const int CostFactor = 20;

    private long _started = long.MinValue;
    private long _cost;

    public bool Due =>
        _started == long.MinValue
        || every == TimeSpan.Zero
        || Environment.TickCount64 - _started >= Math.Max((long)every.TotalMilliseconds, CostFactor * Interlocked.Read(ref _cost));

    /// <summary>A run starts now; returns its start for <see cref="Ended"/>.</summary>
    public long Start() => _started = Environment.TickCount64;

    /// <summary>The run that started at <paramref name="started"/> ended now.</summary>
    public void Ended(long started) => Interlocked.Exchange(ref _cost, Environment.TickCount64 - started);
}
