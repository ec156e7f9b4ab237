using System.Diagnostics;
using Forgewatch.Core.Alerts;
using Forgewatch.Core.Coverage;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Snapshots;
using Forgewatch.Core.Events;
using Forgewatch.Core.Incidents;
using Forgewatch.Core.Indicators;
using Forgewatch.Core.Scanning;
using Forgewatch.Server.Incidents;
using Forgewatch.Server.Storage;

namespace Forgewatch.Server.Detection;

/// <summary>
/// One tenant's detections, run incrementally with <c>scan</c>'s own detection code as records are committed.
/// <list type="bullet">
/// <item>The live engine has observed exactly the stored events before the <see cref="Horizon"/>, in event
/// time order: the time every log pipe of the tenant has reached (<see cref="LogPipes"/>). Later events wait
/// in the tail, so a detection joining mail access with sign-ins never concludes before both are in.</item>
/// <item>A new tenant's first records wait for a pipe that has not shown up yet, a while
/// (<see cref="StreamSettings.NewPipeWait"/>): else the first pipe would be observed alone, then again from
/// the start once the other's older records come.</item>
/// <item>A record older than the horizon (the audit log delivers hours late) rewinds the engine to the
/// latest in-memory checkpoint or recent copy before it, then replays the stored events from there: the engine
/// always ends where it would have had the records come in order.</item>
/// <item>The incidents are those of a scratch copy of the engine that also takes the tail and finishes, as
/// <c>scan</c> does at the end of its input: once every record is in, they are <c>scan</c>'s incidents. An
/// incident with an alert raised by the live engine, older than the horizon by the allowed lateness, is
/// final (only records later than that can change it).</item>
/// </list>
/// Not thread-safe: one caller at a time.
/// </summary>
public sealed class TenantDetection
{
    private readonly string _tenant;
    private readonly IServerStore _store;
    private readonly StreamSettings _settings;
    private readonly DetectionOptions _options = new();
    private readonly IndicatorSet _indicators;
    private readonly List<Checkpoint> _checkpoints = [];
    private readonly ExposureEvents _exposure;
    private List<Alert>? _provisional;
    private readonly CostSpacing _provisionalRuns;
    private CoverageMap _coverage = new();
    private LogPipes _pipes = new();
    private DetectionEngine _engine;
    private TenantResolution _resolution = new();
    private readonly WaitingEvents _tail = new();
    private readonly TimeProvider _time;

    /// <summary>When the stream first took records (<see cref="TimeProvider.GetTimestamp"/>; 0 before), for
    /// <see cref="StreamSettings.NewPipeWait"/>.</summary>
    private long _firstTaken;

    /// <summary>True once the stream no longer waits for a log pipe that has not shown up (see <see cref="WaitsForPipe"/>).</summary>
    private bool _pipeWaitOver;
    private DateTime _nextCheckpoint = DateTime.MinValue;
    private DateTime _lastObserved = DateTime.MinValue;
    private long _sinceCheckpoint;

    /// <summary>The latest recent copies of the live engine (<see cref="StreamSettings.RecentCopyEvents"/> apart,
    /// <see cref="RecentCopies"/> of them), each as it was before the events at its horizon: a record up to about
    /// twice that many events late finds one.</summary>
    private readonly List<(DateTime Horizon, DetectionEngine Engine, TenantResolution Resolution)> _recent = [];
    private long _sinceRecent;

    /// <summary>Spaces the recent copies by their cost too: a copy costs as much as the state is large, and in a
    /// long run of records (a backfill) they would otherwise take a fifth of the detections' time.</summary>
    private readonly RecentCopySpacing _recentCopies;

    /// <summary>Recent copies kept.</summary>
    public const int RecentCopies = 3;

    /// <summary>Events at or after <see cref="Horizon"/> and before this time are read from the store when the
    /// engine gets to them (after a rewind, or the whole history at first): the tail holds only later ones.</summary>
    private DateTime _storedUntil = DateTime.MinValue;

    private TenantDetection(string tenant, IServerStore store, StreamSettings settings, IndicatorSet indicators, int indicatorFiles, Func<Action, Task>? background, TimeProvider time)
    {
        _tenant = tenant;
        _time = time;
        _store = store;
        _settings = settings;
        _indicators = indicators;
        IndicatorFiles = indicatorFiles;
        _exposure = new ExposureEvents(settings.ExposureRescan, background);
        _provisionalRuns = new CostSpacing(settings.ProvisionalEvery);
        _recentCopies = new RecentCopySpacing(settings.RecentCopyEvents);
        _engine = NewEngine();
    }

    /// <summary>The live engine has observed exactly the stored events before this time.</summary>
    public DateTime Horizon { get; private set; } = DateTime.MinValue;

    /// <summary>Every batch up to this one is taken in (in the coverage, the engine or the tail).</summary>
    public long Batch { get; private set; }

    /// <summary>The indicator files the stream's indicators were read from.</summary>
    public int IndicatorFiles { get; }

    /// <summary>Bytes held by the in-memory checkpoints.</summary>
    public long CheckpointBytes => _checkpoints.Sum(c => (long)c.Engine.Length);

    /// <summary>True while the exposure of recent incidents holds only their recent records (until the next
    /// read of the whole history, <see cref="StreamSettings.ExposureRescan"/>): run again later to complete it.</summary>
    public bool ExposurePartial => _exposure.Partial;

    /// <summary>Events waiting for the horizon.</summary>
    public int Waiting => _tail.Count;

    /// <summary>True while a new tenant's records wait for a log pipe that has not shown up yet
    /// (<see cref="StreamSettings.NewPipeWait"/>): run again later, when the wait may be over.</summary>
    public bool WaitingForPipe => !_pipeWaitOver && _tail.Count > 0;

    /// <summary>Stored events read when the stream was opened: those after its snapshot, or the whole history.</summary>
    public int ReadAtOpen { get; private set; }

    /// <summary>Times the stream went back to a checkpoint (or to the start) for a late record.</summary>
    public long Rewinds { get; private set; }

    /// <summary>Of the <see cref="Rewinds"/>, those that found no checkpoint early enough and went back to the start.</summary>
    public long RewindsToStart { get; private set; }

    /// <summary>Opens the tenant's stream: from its stored snapshot and what came after it when the snapshot is
    /// usable, else from the whole stored history. <paramref name="background"/> runs the reads of the whole
    /// history for the exposure of new incidents (<see cref="ExposureEvents"/>; by default on the thread pool);
    /// <paramref name="time"/> measures <see cref="StreamSettings.NewPipeWait"/> (by default the system's clock).</summary>
    public static TenantDetection Open(IServerStore store, string tenant, StreamSettings settings, Func<Action, Task>? background = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(settings);
        IReadOnlyList<(string Name, byte[] Content)> files = store.IndicatorFiles(tenant);
        var stream = new TenantDetection(tenant, store, settings, Indicators(files), files.Count, background, time ?? TimeProvider.System);
        DetectionSnapshot? snapshot = store.LoadSnapshot(tenant);
        if (snapshot is null || snapshot.IndicatorFiles != files.Count || !stream.TryRestore(snapshot))
        {
            stream.Rebuild();
        }
        else
        {
            IReadOnlyList<StoredEvent> after = store.ReadEventsAfter(tenant, snapshot.Horizon, snapshot.Batch);
            stream.ReadAtOpen = after.Count;
            foreach (StoredEvent e in after)
            {
                if (e.Batch <= snapshot.Batch)
                {
                    stream.Wait(e.Event);
                }
            }

            stream.Take([.. after.Where(e => e.Batch > snapshot.Batch)]);
        }

        return stream;
    }

    /// <summary>The indicators a tenant's investigations match: the built-in Storm-0558 ones and its files.</summary>
    public static IndicatorSet Indicators(IEnumerable<(string Name, byte[] Content)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        IndicatorSet indicators = Storm0558Indicators.Create();
        foreach ((string name, byte[] content) in files)
        {
            using var stream = new MemoryStream(content, writable: false);
            IndicatorFile.Read(stream, name, indicators);
        }

        return indicators;
    }

    /// <summary>Takes in the batches committed since <see cref="Batch"/>, moving the horizon no further than
    /// <paramref name="limit"/> (batches still in flight, <see cref="BatchHolds"/>); returns how many events
    /// they held. The store says which batches there are; their events come from <paramref name="committed"/>
    /// when it holds them, else from the store.</summary>
    public int CatchUp(DateTime? limit = null, CommittedBatches? committed = null)
    {
        int taken = 0;
        for (IReadOnlyList<(long Batch, int Stored)> batches; (batches = _store.NewBatches(_tenant, Batch, StoredPages.PageSize)).Count > 0;)
        {
            var part = new List<StoredEvent>();
            foreach ((long batch, int stored) in batches)
            {
                if (stored == 0)
                {
                    continue;
                }

                if (committed?.Take(_tenant, batch) is { } held && held.Count == stored)
                {
                    part.AddRange(held.Select(e => new StoredEvent(batch, e)));
                }
                else
                {
                    // That batch alone: the first after the one before it that stored anything.
                    part.AddRange(_store.ReadNewEvents(_tenant, batch - 1, 1));
                }
            }

            taken += Take(part, limit);
            Batch = Math.Max(Batch, batches[^1].Batch);
        }

        committed?.Forget(_tenant, Batch);
        if (taken == 0)
        {
            // Nothing new, but the horizon may move all the same: the wait for a new pipe may be over.
            Advance(limit ?? DateTime.MaxValue);
        }

        return taken;
    }

    /// <summary>Takes in newly committed events (of batches after <see cref="Batch"/>) and moves the engine to
    /// the new horizon, no further than <paramref name="limit"/>; returns how many there were.</summary>
    public int Take(IReadOnlyList<StoredEvent> events, DateTime? limit = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (_firstTaken == 0 && events.Count > 0)
        {
            _firstTaken = _time.GetTimestamp();
        }

        DateTime? late = null;
        foreach (StoredEvent stored in events)
        {
            AuditEvent e = stored.Event;
            _coverage.Add(e);
            _pipes.Add(e);
            _exposure.Offer(e);
            Batch = Math.Max(Batch, stored.Batch);
            if (e.Time < Horizon)
            {
                late = late is { } earliest && earliest < e.Time ? earliest : e.Time;
            }
            else if (e.Time >= _storedUntil)
            {
                Wait(e);
            }
        }

        if (!_resolution.StillHolds(_coverage))
        {
            // A record tied a user domain to another tenant: events already observed were attributed by
            // the old answer, so everything is observed again.
            Rewind(DateTime.MinValue);
        }
        else if (late is { } time)
        {
            Rewind(time);
        }

        Advance(limit ?? DateTime.MaxValue);
        return events.Count;
    }

    /// <summary>The tenant's incidents on everything taken in so far, as <c>scan</c> would find them on the same
    /// records, each marked final when the live engine raised one of its alerts.</summary>
    public IReadOnlyList<StoredIncident> Incidents()
    {
        IReadOnlyList<IDetection> detections = _engine.Detections;
        List<Alert> alerts;
        if (_provisional is null || _provisionalRuns.Due)
        {
            long started = _provisionalRuns.Start();
            alerts = Provisional(out detections);
            _provisionalRuns.Ended(started);
            _provisional = alerts;
            ProvisionalStale = false;
        }
        else
        {
            // Between two runs of the scratch copy: the live engine's alerts as they are, and those the copy
            // found on the waiting records (still waiting).
            HashSet<string> live = [.. _engine.Context.Alerts.Alerts.Select(a => a.Id)];
            alerts = [.. _engine.Context.Alerts.Alerts
                .Concat(_provisional.Where(a => !live.Contains(a.Id) && a.FirstSeen >= Horizon))
                .OrderBy(a => a.FirstSeen).ThenBy(a => a.Id, StringComparer.Ordinal)];
            ProvisionalStale = true;
        }

        DateTime finalBefore = Shifted(Horizon, -_settings.AllowedLateness);
        HashSet<string> final = [.. _engine.Context.Alerts.Alerts.Where(a => a.FirstSeen < finalBefore).Select(a => a.Id)];
        (IReadOnlyList<Incident> incidents, _) = Investigation.Conclude(
            alerts,
            detections,
            keys =>
            {
                _exposure.Want(keys, _store, _tenant, Batch);
                _exposure.Complete(_store, _tenant, Batch);
                return _exposure.Events.Select(e => (e, _resolution.TenantOf(e, _coverage)));
            });
        return [.. incidents.Select(i => new StoredIncident(_tenant, i.Id, i.Severity, i.FirstSeen, i.LastSeen, IncidentJson.Of(i), i.Alerts.Any(a => final.Contains(a.Id))))];
    }

    /// <summary>True when the last <see cref="Incidents"/> reused the scratch copy's alerts of an earlier run
    /// (<see cref="StreamSettings.ProvisionalEvery"/>): run again later, for what finishing the waiting
    /// records gives now.</summary>
    public bool ProvisionalStale { get; private set; }

    /// <summary>Every alert of a scratch copy of the live engine that also takes the waiting records and
    /// finishes, as <c>scan</c> does at the end of its input.</summary>
    private List<Alert> Provisional(out IReadOnlyList<IDetection> detections)
    {
        DetectionEngine scratch = CopyOf(_engine);
        var resolution = _resolution.Copy();
        foreach (AuditEvent e in StoredBetween(Horizon, _storedUntil))
        {
            scratch.Process(e, resolution.TenantOf(e, _coverage));
        }

        foreach (AuditEvent e in _tail.InOrder())
        {
            scratch.Process(e, resolution.TenantOf(e, _coverage));
        }

        scratch.Finish();
        detections = scratch.Detections;
        return [.. scratch.Context.Alerts.Alerts.OrderBy(a => a.FirstSeen).ThenBy(a => a.Id, StringComparer.Ordinal)];
    }

    /// <summary>The stream's state for <see cref="IServerStore.SaveSnapshot"/>: the live engine, the coverage and
    /// the pipes as of <see cref="Horizon"/> and <see cref="Batch"/>.</summary>
    public DetectionSnapshot Snapshot(DateTimeOffset now) =>
        new(Horizon, Batch, IndicatorFiles, StreamSnapshot.Write(EngineSnapshot.Write(_engine), _coverage, _pipes, _resolution), now);

    private bool TryRestore(DetectionSnapshot snapshot)
    {
        if (StreamSnapshot.Read(snapshot.Data) is not { } state)
        {
            return false;
        }

        try
        {
            _coverage = state.Coverage;
            _engine = EngineOf(state.Engine);
        }
        catch (SnapshotException)
        {
            // Written by another version of the detections: the history is observed again instead.
            _coverage = new CoverageMap();
            _engine = NewEngine();
            return false;
        }

        _pipes = state.Pipes;
        _resolution = state.Resolution;
        Horizon = snapshot.Horizon;
        Batch = snapshot.Batch;
        _checkpoints.Add(new Checkpoint(Horizon, state.Engine, _resolution.Copy()));
        _nextCheckpoint = Shifted(Horizon, _settings.CheckpointEvery);
        _pipeWaitOver = Horizon != DateTime.MinValue;
        return true;
    }

    /// <summary>Observes the whole stored history again, from a fresh engine: a first pass over the store for
    /// the coverage and the pipes, then the engine reads it page by page as the horizon allows.</summary>
    private void Rebuild()
    {
        _coverage = new CoverageMap();
        _pipes = new LogPipes();
        _resolution = new TenantResolution();
        _engine = NewEngine();
        _tail.Clear();
        _checkpoints.Clear();
        _recent.Clear();
        Horizon = DateTime.MinValue;
        _storedUntil = DateTime.MaxValue;
        _nextCheckpoint = DateTime.MinValue;
        _lastObserved = DateTime.MinValue;
        Batch = _store.LastBatch(_tenant);
        int read = 0;
        foreach (AuditEvent e in StoredBetween(DateTime.MinValue, DateTime.MaxValue))
        {
            _coverage.Add(e);
            _pipes.Add(e);
            _exposure.Offer(e);
            read++;
        }

        ReadAtOpen = read;

        // A stored history that has not shown a pipe yet is not waiting for it.
        _pipeWaitOver = read > 0;
        Advance(DateTime.MaxValue);

        // What the horizon has not reached waits in memory, as new records do.
        foreach (AuditEvent e in StoredBetween(Horizon, DateTime.MaxValue))
        {
            Wait(e);
        }

        _storedUntil = DateTime.MinValue;
    }

    /// <summary>Goes back to the latest checkpoint at or before <paramref name="time"/> (or to a fresh engine);
    /// the stored events from there on are read again as the engine gets to them.</summary>
    private void Rewind(DateTime time)
    {
        Rewinds++;
        _storedUntil = _storedUntil > Horizon ? _storedUntil : Horizon;
        int keep = _checkpoints.FindLastIndex(c => c.Horizon <= time);
        int copy = _recent.FindLastIndex(c => c.Horizon <= time);
        _recent.RemoveRange(copy + 1, _recent.Count - copy - 1);
        if (copy >= 0 && (keep < 0 || _recent[copy].Horizon >= _checkpoints[keep].Horizon))
        {
            // The copy stays as it is (it is not ahead of the new horizon): the engine is a copy of it.
            (DateTime horizon, DetectionEngine engine, TenantResolution resolution) = _recent[copy];
            _engine = CopyOf(engine);
            _resolution = resolution.Copy();
            Horizon = horizon;
            _checkpoints.RemoveRange(keep + 1, _checkpoints.Count - keep - 1);
        }
        else if (keep >= 0)
        {
            _recent.Clear();
            Checkpoint checkpoint = _checkpoints[keep];
            _engine = EngineOf(checkpoint.Engine);
            _resolution = checkpoint.Resolution.Copy();
            Horizon = checkpoint.Horizon;
            _checkpoints.RemoveRange(keep + 1, _checkpoints.Count - keep - 1);
        }
        else
        {
            RewindsToStart++;
            _recent.Clear();
            _engine = NewEngine();
            _resolution = new TenantResolution();
            Horizon = DateTime.MinValue;
            _checkpoints.Clear();
        }

        _nextCheckpoint = Shifted(Horizon, _settings.CheckpointEvery);
        _lastObserved = DateTime.MinValue;
        _sinceCheckpoint = 0;
        _sinceRecent = 0;
    }

    /// <summary>The stored events in [<paramref name="from"/>, <paramref name="until"/>) of the batches taken in.</summary>
    private IEnumerable<AuditEvent> StoredBetween(DateTime from, DateTime until) => StoredPages.Between(_store, _tenant, from, until, Batch);

    /// <summary>Observes the waiting events before the new horizon (at most <paramref name="limit"/>), in time
    /// order, keeping checkpoints.</summary>
    private void Advance(DateTime limit)
    {
        DateTime horizon = _pipes.Horizon();
        horizon = limit < horizon ? limit : horizon;
        if (horizon <= Horizon || WaitsForPipe())
        {
            return;
        }

        // Of the checkpoints this run would keep, only the last MaxCheckpoints stay: catching up on days of
        // records, the earlier ones would be written only to be dropped.
        DateTime worthKeeping = Shifted(horizon, -(_settings.CheckpointEvery * _settings.MaxCheckpoints));
        if (_storedUntil > Horizon)
        {
            DateTime end = _storedUntil < horizon ? _storedUntil : horizon;
            foreach (AuditEvent e in StoredBetween(Horizon, end))
            {
                Observe(e, worthKeeping);
            }

            Horizon = end;
            if (end == horizon)
            {
                return;
            }
        }

        int observed = 0;
        foreach (AuditEvent e in _tail.InOrder())
        {
            if (e.Time >= horizon)
            {
                break;
            }

            Observe(e, worthKeeping);
            observed++;
        }

        _tail.RemoveFirst(observed);
        Horizon = horizon;
    }

    /// <summary>True while the stream has observed nothing, a log pipe has not shown up, and the first records
    /// came less than <see cref="StreamSettings.NewPipeWait"/> ago (and are fewer than
    /// <see cref="StreamSettings.NewPipeWaitEvents"/>): the horizon stays where it is. Once false, it stays false.</summary>
    private bool WaitsForPipe()
    {
        if (!_pipeWaitOver
            && (_pipes.AllSeen
                || _tail.Count >= _settings.NewPipeWaitEvents
                || (_firstTaken != 0 && _time.GetElapsedTime(_firstTaken) >= _settings.NewPipeWait)))
        {
            _pipeWaitOver = true;
        }

        return !_pipeWaitOver;
    }

    /// <summary>Observes one event, first keeping a checkpoint when one is due and worth keeping.</summary>
    private void Observe(AuditEvent e, DateTime worthKeeping)
    {
        if (e.Time >= _nextCheckpoint && _sinceCheckpoint >= _settings.CheckpointEvents && e.Time > _lastObserved && e.Time >= worthKeeping)
        {
            KeepCheckpoint(e.Time);
        }
        else if (_settings.RecentCopyEvents > 0 && e.Time > _lastObserved && e.Time >= worthKeeping && _recentCopies.Due(_sinceRecent))
        {
            long started = Stopwatch.GetTimestamp();
            _recent.Add((e.Time, CopyOf(_engine), _resolution.Copy()));
            _recentCopies.Copied(Stopwatch.GetTimestamp() - started);
            if (_recent.Count > RecentCopies)
            {
                _recent.RemoveAt(0);
            }

            _sinceRecent = 0;
        }

        long before = Stopwatch.GetTimestamp();
        _engine.Process(e, _resolution.TenantOf(e, _coverage));
        _recentCopies.Observed(Stopwatch.GetTimestamp() - before);
        _lastObserved = e.Time;
        _sinceCheckpoint++;
        _sinceRecent++;
    }

    /// <summary>Keeps the live engine as it is before the events at <paramref name="time"/>.</summary>
    private void KeepCheckpoint(DateTime time)
    {
        _checkpoints.Add(new Checkpoint(time, EngineSnapshot.Write(_engine), _resolution.Copy()));
        if (_checkpoints.Count > _settings.MaxCheckpoints)
        {
            _checkpoints.RemoveAt(0);
        }

        _nextCheckpoint = Shifted(time, _settings.CheckpointEvery);
        _sinceCheckpoint = 0;
        _sinceRecent = 0;
    }

    private void Wait(AuditEvent e) => _tail.Add(e);

    /// <summary><paramref name="time"/> moved by <paramref name="by"/>, held within the range of
    /// <see cref="DateTime"/>: record times come from the logs, and year 1 or 9999 must not stop the tenant.</summary>
    private static DateTime Shifted(DateTime time, TimeSpan by) =>
        by >= TimeSpan.Zero
            ? (DateTime.MaxValue - time <= by ? DateTime.MaxValue : time + by)
            : (time - DateTime.MinValue <= -by ? DateTime.MinValue : time + by);

    /// <summary>A copy of <paramref name="engine"/> in the stream's options, indicators and coverage.</summary>
    private DetectionEngine CopyOf(DetectionEngine engine) =>
        EngineSnapshot.Copy(engine, BuiltInDetections.Create(), _options, _indicators, _coverage);

    /// <summary>The engine a snapshot or checkpoint was written from, in the stream's options, indicators and coverage.</summary>
    private DetectionEngine EngineOf(byte[] snapshot) =>
        EngineSnapshot.Read(snapshot, BuiltInDetections.Create(), _options, _indicators, _coverage);

    private DetectionEngine NewEngine() =>
        new(BuiltInDetections.Create(), new DetectionContext(_options, _indicators, _coverage));

    private sealed record Checkpoint(DateTime Horizon, byte[] Engine, TenantResolution Resolution);
}
