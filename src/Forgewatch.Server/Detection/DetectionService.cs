using System.Collections.Concurrent;
using System.Threading.Channels;
using Forgewatch.Server.Incidents;
using Forgewatch.Server.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Forgewatch.Server.Detection;

/// <summary>
/// Runs each tenant's detections as records are committed for it (<see cref="TenantChanged"/>), on one
/// background thread, through the tenant's <see cref="TenantDetection"/>: only the new records are observed.
/// Batches that arrive while a tenant is being worked on are taken by the next run, so a burst of batches
/// costs one or two runs, not one each. The tenant's incidents are then saved; the notification sender
/// announces final ones at once and the others once they have stood for the settle time. Each stream's
/// snapshot is saved every <c>SnapshotSeconds</c> and when the server stops, so a start replays only what
/// came after it. At start every tenant is opened and caught up, which covers records committed just
/// before a crash.
/// </summary>
public sealed partial class DetectionService(
    IServerStore store,
    TimeProvider time,
    StreamSettings settings,
    TimeSpan snapshotEvery,
    Notifications.OutboxSignal outbox,
    ILogger<DetectionService> log,
    int nice = 0) : BackgroundService
{
    private readonly DetectionThread _thread = new(nice);

    /// <summary>Reads of a tenant's whole history for the exposure of new incidents, beside the detections and
    /// below them (the lowest priority, when the detections' is lowered at all): a new incident is announced
    /// first, and its exposure completed when the cores are free.</summary>
    private readonly DetectionThread _historyReads = new(nice > 0 ? HistoryReadsNice : 0, "History reads");

    /// <summary>The Linux nice value of <see cref="_historyReads"/>.</summary>
    public const int HistoryReadsNice = 19;

    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    /// <summary>Tenants waiting, with when they were first queued (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    private readonly ConcurrentDictionary<string, long> _queued = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _reopen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (TenantDetection Stream, DateTimeOffset Saved)> _streams = new(StringComparer.Ordinal);
    private readonly Lock _running = new();
    private readonly BatchHolds _holds = new();

    /// <summary>Each tenant's incidents as last saved (by id), so that a run that changed none saves nothing.</summary>
    private readonly Dictionary<string, Dictionary<string, StoredIncident>> _saved = new(StringComparer.Ordinal);

    private readonly CommittedBatches _committed = new();
    private long _runs;
    private long _runningSince;

    /// <summary>Investigations finished since start.</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>Tenants waiting for an investigation.</summary>
    public int Waiting => _queued.Count;

    /// <summary>Seconds the longest-waiting committed records have waited for their investigation, counting
    /// the one running; 0 when nothing waits.</summary>
    public double LagSeconds()
    {
        long oldest = Interlocked.Read(ref _runningSince);
        foreach (long queued in _queued.Values)
        {
            oldest = oldest == 0 ? queued : Math.Min(oldest, queued);
        }

        return oldest == 0 ? 0 : time.GetElapsedTime(oldest).TotalSeconds;
    }

    public void TenantChanged(string tenant)
    {
        if (_queued.TryAdd(tenant, time.GetTimestamp()))
        {
            _queue.Writer.TryWrite(tenant);
        }
    }

    /// <summary>A batch of the tenant is being read and stored: until the hold is disposed (after the commit),
    /// the tenant's detections do not move past its earliest record (see <see cref="BatchHolds"/>).</summary>
    public BatchHolds.Hold HoldBatch(string tenant) => _holds.Take(tenant);

    /// <summary>A batch of the tenant was committed: holds taken from now on start from its times, and its new
    /// events are handed to the detections as they are. Called before its own hold is released, and
    /// <see cref="TenantChanged"/> after.</summary>
    public void Committed(string tenant, IReadOnlyList<Core.Events.AuditEvent> events, StoredBatch stored)
    {
        _holds.Committed(tenant, events);
        _committed.Add(tenant, stored.BatchId, stored.New);
    }

    /// <summary>The tenant's indicators changed: its stream is opened again (and observes its whole history
    /// with them, so past matches become incidents).</summary>
    public void IndicatorsChanged(string tenant)
    {
        _reopen[tenant] = true;
        TenantChanged(tenant);
    }

    /// <summary>The tenant was removed: its stream is dropped (its snapshot went with its other data).</summary>
    public void Forget(string tenant)
    {
        lock (_running)
        {
            _streams.Remove(tenant);
            _saved.Remove(tenant);
            _reopen.TryRemove(tenant, out _);
            _committed.Forget(tenant);
        }
    }

    /// <summary>Takes in the tenant's new records now and saves its incidents; returns how many it has, or -1 when
    /// there was nothing new to take in or to bring up to date.</summary>
    public int Investigate(string tenant)
    {
        lock (_running)
        {
            long started = time.GetTimestamp();
            DateTimeOffset now = time.GetUtcNow();
            // A file added by `forgewatch hunt` beside the running server reaches it this way.
            bool opened = _reopen.TryRemove(tenant, out _)
                || !_streams.TryGetValue(tenant, out (TenantDetection Stream, DateTimeOffset) known)
                || known.Stream.IndicatorFiles != store.CountIndicatorFiles(tenant);
            (TenantDetection stream, DateTimeOffset saved) = opened
                ? (TenantDetection.Open(store, tenant, settings, _historyReads.RunAsync, time), DateTimeOffset.MinValue)
                : _streams[tenant];
            bool waited = stream.WaitingForPipe;
            int taken = opened ? 0 : stream.CatchUp(_holds.Limit(tenant), _committed);
            if (opened)
            {
                // `forgewatch hunt` beside the server may have saved other incidents: the first run saves its own.
                _saved.Remove(tenant);
            }

            _streams[tenant] = (stream, saved);
            if (!opened && taken == 0 && !stream.ExposurePartial && !stream.ProvisionalStale && !waited)
            {
                Interlocked.Increment(ref _runs);
                return -1;
            }

            IReadOnlyList<StoredIncident> incidents = stream.Incidents();
            if (Changed(tenant, incidents))
            {
                store.SaveIncidents(tenant, incidents, now);
                _saved[tenant] = incidents.ToDictionary(i => i.Id, StringComparer.Ordinal);
                if (incidents.Count > 0)
                {
                    outbox.Raise();
                }
            }

            if (now - saved >= snapshotEvery)
            {
                SaveSnapshot(tenant, stream, now);
            }

            Interlocked.Increment(ref _runs);
            long milliseconds = (long)time.GetElapsedTime(started).TotalMilliseconds;
            LogInvestigated(tenant, taken, stream.Waiting, incidents.Count, stream.Rewinds, stream.CheckpointBytes / 1024, milliseconds);
            return incidents.Count;
        }
    }

    /// <summary>True unless <paramref name="incidents"/> are exactly those last saved for the tenant: most runs
    /// change nothing, and saving a tenant's incidents takes the store's writer, which the batches wait for.</summary>
    private bool Changed(string tenant, IReadOnlyList<StoredIncident> incidents)
    {
        if (!_saved.TryGetValue(tenant, out Dictionary<string, StoredIncident>? saved) || saved.Count != incidents.Count)
        {
            return true;
        }

        foreach (StoredIncident incident in incidents)
        {
            if (!saved.TryGetValue(incident.Id, out StoredIncident? before) || before != incident)
            {
                return true;
            }
        }

        return false;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        lock (_running)
        {
            DateTimeOffset now = time.GetUtcNow();
            foreach ((string tenant, (TenantDetection stream, _)) in _streams.ToList())
            {
                SaveSnapshot(tenant, stream, now);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (Tenants.Tenant tenant in store.ListTenants())
        {
            TenantChanged(tenant.Id);
        }

        _ = CompleteExposureAsync(stoppingToken);

        await foreach (string tenant in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            _queued.TryRemove(tenant, out long since);
            Interlocked.Exchange(ref _runningSince, since);
            try
            {
                await _thread.RunAsync(() => Investigate(tenant)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The records stay stored; the stream is opened again from the store at the next batch.
                lock (_running)
                {
                    _streams.Remove(tenant);
                    _saved.Remove(tenant);
                }

                LogFailed(e, tenant);
            }
            finally
            {
                Interlocked.Exchange(ref _runningSince, 0);
            }
        }
    }

    /// <summary>Every few seconds, runs the tenants whose incidents' exposure is partial, whose waiting records
    /// were last finished a while ago, or whose records wait for a log that has not shown up yet, so that all
    /// are brought up to date even when no more records come.</summary>
    private async Task CompleteExposureAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                string[] partial;
                lock (_running)
                {
                    partial = [.. _streams.Where(s => s.Value.Stream.ExposurePartial || s.Value.Stream.ProvisionalStale || s.Value.Stream.WaitingForPipe).Select(s => s.Key)];
                }

                foreach (string tenant in partial)
                {
                    TenantChanged(tenant);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _thread.Dispose();
        _historyReads.Dispose();
    }

    private void SaveSnapshot(string tenant, TenantDetection stream, DateTimeOffset now)
    {
        try
        {
            store.SaveSnapshot(tenant, stream.Snapshot(now));
            _streams[tenant] = (stream, now);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Only the next start's speed depends on it: the records are all stored.
            LogSnapshotFailed(e, tenant);
        }
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Debug, Message = "Tenant {Tenant}: {Taken} new record(s) taken in, {Waiting} waiting for the other log, {Incidents} incident(s), {Rewinds} rewind(s) so far, checkpoints {CheckpointKiB} KiB, in {Milliseconds} ms.")]
    private partial void LogInvestigated(string tenant, int taken, int waiting, int incidents, long rewinds, long checkpointKiB, long milliseconds);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Error, Message = "Tenant {Tenant}: investigation failed.")]
    private partial void LogFailed(Exception exception, string tenant);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "Tenant {Tenant}: the detection snapshot could not be saved.")]
    private partial void LogSnapshotFailed(Exception exception, string tenant);
}
