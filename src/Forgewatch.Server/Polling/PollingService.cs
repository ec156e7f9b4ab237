using Forgewatch.Server.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Forgewatch.Server.Polling;

/// <summary>
/// Runs every poll source on its own loop: poll, wait the source's interval, poll again, until the server
/// stops (which cancels a poll in flight; it goes on from its checkpoint at the next start). A failure is
/// logged and tried again at the next interval; it never stops another source or tenant. A source whose
/// tenant does not exist (yet) is skipped with a warning.
/// </summary>
internal sealed class PollingService(IReadOnlyList<IPollSource> sources, IServerStore store, ILogger log, TimeProvider time) : BackgroundService
{
    private long _rounds;

    /// <summary>Polls finished (done or failed) since start, over all sources.</summary>
    public long Rounds => Interlocked.Read(ref _rounds);

    public IReadOnlyList<IPollSource> Sources => sources;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(sources.Select(s => LoopAsync(s, stoppingToken)));

    /// <summary>Polls <paramref name="source"/> once and logs how it went; never throws but on cancellation.</summary>
    public async Task RoundAsync(IPollSource source, CancellationToken cancellationToken)
    {
        int interval = (int)source.Interval.TotalSeconds;
        try
        {
            if (!store.ListTenants().Any(t => t.Id == source.Tenant))
            {
                log.NoSuchTenant(source.Tenant, source.Name);
                return;
            }

            PollResult result = await source.PollAsync(cancellationToken).ConfigureAwait(false);
            if (result.Records > 0)
            {
                log.PollDone(source.Tenant, source.Name, result.Items, result.Records, result.Stored);
            }
            else
            {
                log.NothingNew(source.Tenant, source.Name, result.Items);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TokenRefusedException e)
        {
            log.TokenRefused(source.Tenant, source.Name, e.Message, interval);
        }
        catch (PollFailedException e)
        {
            log.PollFailed(source.Tenant, source.Name, e.Message, interval);
        }
        catch (Exception e)
        {
            log.PollCrashed(e, source.Tenant, source.Name, interval);
        }
        finally
        {
            Interlocked.Increment(ref _rounds);
        }
    }

    private async Task LoopAsync(IPollSource source, CancellationToken stoppingToken)
    {
        // Off the host's start-up path: the first poll can take long.
        await Task.Yield();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await RoundAsync(source, stoppingToken).ConfigureAwait(false);
                await Task.Delay(source.Interval, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the checkpoint holds what was committed.
        }
    }
}
