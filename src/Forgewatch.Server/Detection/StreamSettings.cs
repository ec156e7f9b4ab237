namespace Forgewatch.Server.Detection;

/// <summary>How a <see cref="TenantDetection"/> keeps checkpoints for late records, and when its alerts are final.</summary>
/// <param name="CheckpointEvery">Least event time between two in-memory checkpoints.</param>
/// <param name="CheckpointEvents">Least events observed between two checkpoints: writing one costs as much as
/// the detections' state is large, so it is spread over at least this many events, and a late record replays
/// about this many events plus its own lateness.</param>
/// <param name="MaxCheckpoints">Checkpoints kept; a record later than the oldest replays the whole history.</param>
/// <param name="AllowedLateness">How far behind the horizon records may still arrive: an alert is final (announced
/// at once) only when its first evidence is older than the horizon by at least this much. 0 announces as soon as
/// both logs have passed the alert; a source that delivers out of order within its own log wants more, or a
/// record arriving later may take back an incident already announced.</param>
/// <param name="ExposureRescan">Least time between two reads of the whole history for the keys of new
/// incidents (see <see cref="ExposureEvents"/>).</param>
public sealed record StreamSettings(TimeSpan CheckpointEvery, int CheckpointEvents, int MaxCheckpoints, TimeSpan AllowedLateness, TimeSpan ExposureRescan)
{
    public static StreamSettings Default { get; } = new(TimeSpan.FromHours(1), 50_000, 8, TimeSpan.Zero, TimeSpan.FromSeconds(30));

    /// <summary>Least time between two runs of the scratch copy that finishes the waiting records (it copies the
    /// whole detection state); in between, new alerts of the live engine are served and announced at once.</summary>
    public TimeSpan ProvisionalEvery { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Events observed between two recent copies of the live engine (0: none). A copy shares the records
    /// the state holds, so it is cheap; a record only seconds late (a batch sent again after a 429, say) goes
    /// back to the latest copy before it instead of to a checkpoint an hour of event time back, or to the start.
    /// The last <see cref="TenantDetection.RecentCopies"/> copies are kept. A copy also waits until observing
    /// the records since the last one has cost <see cref="CostSpacing.CostFactor"/> times what that copy took
    /// (<see cref="RecentCopySpacing"/>), so that copies of a large state take a bounded share of the detections' time.</summary>
    public int RecentCopyEvents { get; init; } = 20_000;

    /// <summary>How long a new tenant's first records wait for a log pipe that has not shown up at all (its
    /// other log usually comes through another exporter, a little later): until it does, or this long after
    /// the first records, the detections observe nothing. Without the wait they would observe the first log,
    /// then observe it all again from the start when the other log's older records come. Only the cost
    /// depends on it: the incidents do not.</summary>
    public TimeSpan NewPipeWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Most records held by <see cref="NewPipeWait"/>: past them the detections go on without the other log.</summary>
    public int NewPipeWaitEvents { get; init; } = 500_000;
}
