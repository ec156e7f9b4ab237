using Forgewatch.Server.Detection;
using Forgewatch.Server.Hosting;
using Forgewatch.Server.Ingestion;
using Forgewatch.Server.Metrics;
using Forgewatch.Server.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Forgewatch.Server.Polling;

/// <summary>Wires pull ingestion into the server when <c>Forgewatch:Pollers</c> lists any: a named HttpClient
/// and the <see cref="PollingService"/> as a hosted service.</summary>
internal static class PollingSetup
{
    public const string HttpClientName = "forgewatch-pollers";

    public static void Add(IServiceCollection services, ServerOptions options)
    {
        if (options.Pollers.Count == 0)
        {
            return;
        }

        // Each attempt has its own timeout (PollerTiming.RequestTimeout), the body included.
        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton(sp =>
        {
            ILogger log = sp.GetRequiredService<ILoggerFactory>().CreateLogger(PollingLog.Category);
            TimeProvider time = sp.GetRequiredService<TimeProvider>();
            IServerStore store = sp.GetRequiredService<IServerStore>();
            ServerMetrics metrics = sp.GetRequiredService<ServerMetrics>();
            IHttpClientFactory clients = sp.GetRequiredService<IHttpClientFactory>();
            var ingestion = new PolledIngestion(sp.GetRequiredService<BatchReader>(), store, sp.GetRequiredService<DetectionService>(), metrics, time, log);
            var dependencies = new PollDependencies(() => clients.CreateClient(HttpClientName), ingestion, store, metrics, time, log, new PollerTiming(), options.MaxBatchBytes);
            var sources = options.Pollers.SelectMany(p => PollSources.Create(p, dependencies)).ToList();
            foreach (PollerOptions p in options.Pollers)
            {
                foreach (string source in p.EffectiveSources)
                {
                    log.PollerStarted(p.Tenant, source, p.DirectoryTenantId, p.IntervalSeconds);
                }
            }

            return new PollingService(sources, store, log, time);
        });
        services.AddHostedService(sp => sp.GetRequiredService<PollingService>());
    }
}
