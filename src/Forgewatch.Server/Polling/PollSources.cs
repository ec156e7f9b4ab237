using Forgewatch.Server.Metrics;
using Forgewatch.Server.Storage;
using Microsoft.Extensions.Logging;

namespace Forgewatch.Server.Polling;

/// <summary>What every poll source shares: how it sends requests (an HttpClient from the factory for each
/// request, so DNS changes are seen), where it stores, and its clock and timings.</summary>
internal sealed record PollDependencies(
    Func<HttpClient> Http,
    PolledIngestion Ingestion,
    IServerStore Store,
    ServerMetrics Metrics,
    TimeProvider Time,
    ILogger Log,
    PollerTiming Timing,
    long MaxBodyBytes);

/// <summary>Makes the poll sources of one <see cref="PollerOptions"/>: each has its own token (the scope
/// differs per API) and runs on its own.</summary>
internal static class PollSources
{
    public static IReadOnlyList<IPollSource> Create(PollerOptions options, PollDependencies d)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(d);
        var sources = new List<IPollSource>();
        foreach (string source in options.EffectiveSources)
        {
            var http = new PollHttp(d.Http, d.Timing, d.Time, d.Metrics, d.Log, options.Tenant, source, d.MaxBodyBytes);
            sources.Add(source == PollerOptions.ManagementActivity
                ? new ManagementActivityPoller(options, http, new ClientCredentials(options, ClientCredentials.ScopeOf(options.ManagementUrl), http, d.Timing, d.Time), d.Ingestion, d.Store, d.Time, d.Log)
                : new GraphSignInPoller(options, http, new ClientCredentials(options, ClientCredentials.ScopeOf(options.GraphUrl), http, d.Timing, d.Time), d.Ingestion, d.Store, d.Time, d.Log));
        }

        return sources;
    }
}
