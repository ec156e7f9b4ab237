using System.Collections.Concurrent;
using System.Threading.Channels;
using Forgewatch.Server.Incidents;
using Forgewatch.Server.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Forgewatch.Server.Detection;

/// <summary>
/// Investigates a tenant again after records are committed for it (<see cref="TenantChanged"/>), on one
/// background thread: batches that arrive while a tenant is being investigated are taken by the next run,
/// so a burst of batches costs one or two runs, not one each. The tenant's incidents are then saved; the
/// notification sender announces them once they have stood for the settle time. At start every tenant is
/// investigated once, which covers records committed just before a crash.
/// </summary>
public sealed partial class DetectionService(IServerStore store, TimeProvider time, ILogger<DetectionService> log) : BackgroundService
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    /// <summary>Tenants waiting, with when they were first queued (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    private readonly ConcurrentDictionary<string, long> _queued = new(StringComparer.Ordinal);
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

    /// <summary>Investigates one tenant now and saves what it found; returns how many incidents it has.</summary>
    public int Investigate(string tenant)
    {
        IReadOnlyList<StoredIncident> incidents = TenantInvestigation.InvestigateAndSave(store, tenant, time.GetUtcNow());
        Interlocked.Increment(ref _runs);
        LogInvestigated(tenant, incidents.Count);
        return incidents.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (Tenants.Tenant tenant in store.ListTenants())
        {
            TenantChanged(tenant.Id);
        }

        await foreach (string tenant in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            _queued.TryRemove(tenant, out long since);
            Interlocked.Exchange(ref _runningSince, since);
            try
            {
                await Task.Run(() => Investigate(tenant), stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The records stay stored; the next batch for the tenant, or a restart, runs it again.
                LogFailed(e, tenant);
            }
            finally
            {
                Interlocked.Exchange(ref _runningSince, 0);
            }
        }
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Debug, Message = "Tenant {Tenant} investigated: {Incidents} incident(s).")]
    private partial void LogInvestigated(string tenant, int incidents);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Error, Message = "Tenant {Tenant}: investigation failed.")]
    private partial void LogFailed(Exception exception, string tenant);
}
