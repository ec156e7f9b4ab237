using Forgewatch.Server.Detection;
using Forgewatch.Server.Hunting;
using Forgewatch.Server.Incidents;
using Forgewatch.Server.Ingestion;
using Forgewatch.Server.Metrics;
using Forgewatch.Server.Notifications;
using Forgewatch.Server.Polling;
using Forgewatch.Server.Storage;
using Forgewatch.Server.Tenants;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Forgewatch.Server.Hosting;

/// <summary>
/// Builds the <c>forgewatch serve</c> application: configuration the ASP.NET way (appsettings.json in the
/// working folder, environment variables, then overrides from flags); the store; the ingestion queue; the
/// detection and notification services; metrics; and the endpoints (docs/serve.md).
/// </summary>
public static class ForgewatchServer
{
    public const string IncomingFolder = "incoming";

    /// <summary>Throws <see cref="InvalidOperationException"/> with a sentence when the settings are not
    /// usable (a <see cref="StoreUnavailableException"/> when the store cannot be opened), and whatever
    /// preparing the data folder throws when it cannot be used.</summary>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        // appsettings.json is read at start, not watched: the data folder usually sits under the working folder,
        // and a watcher there woke up for every batch file and database write (measured: 14% of the server's
        // time during a push).
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"] });
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        ServerOptions options = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        if (options.Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        string data = Path.GetFullPath(options.Data);
        options = options with { Data = data };
        ClearIncoming(Path.Combine(data, IncomingFolder));
        IServerStore store = ServerStores.Open(options);

        builder.Services.AddSingleton<IOptions<ServerOptions>>(Options.Create(options));
        // Made by a factory so that the container disposes it (and closes the database) with the application.
        builder.Services.AddSingleton<IServerStore>(_ => store);
        builder.Services.AddSingleton(new IngestionGate(options.ConcurrentBatches, options.QueuedBatches));
        builder.Services.AddSingleton(new BatchReader(Path.Combine(data, IncomingFolder), options.MaxBatchBytes, options.MaxBatchRecords));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton(sp => new DetectionService(
            store,
            sp.GetRequiredService<TimeProvider>(),
            new StreamSettings(TimeSpan.FromMinutes(options.CheckpointMinutes), options.CheckpointEvents, options.MaxCheckpoints, TimeSpan.FromSeconds(options.AllowedLatenessSeconds), TimeSpan.FromSeconds(options.ExposureRescanSeconds)) { ProvisionalEvery = TimeSpan.FromSeconds(options.ProvisionalSeconds), NewPipeWait = TimeSpan.FromSeconds(options.NewPipeWaitSeconds) },
            TimeSpan.FromSeconds(options.SnapshotSeconds),
            sp.GetRequiredService<OutboxSignal>(),
            sp.GetRequiredService<ILogger<DetectionService>>(),
            options.DetectionNice));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DetectionService>());
        builder.Services.AddSingleton(new WebhookSender(new HttpClient { Timeout = TimeSpan.FromSeconds(options.WebhookTimeoutSeconds) }));
        builder.Services.AddSingleton(sp => new NotificationService(
            store,
            sp.GetRequiredService<WebhookSender>(),
            options.Smtp.Enabled ? new EmailSender(options.Smtp) : null,
            sp.GetRequiredService<TimeProvider>(),
            TimeSpan.FromSeconds(options.NotificationPollSeconds),
            TimeSpan.FromSeconds(options.NotificationMaxBackoffSeconds),
            TimeSpan.FromSeconds(options.NotificationSettleSeconds),
            sp.GetRequiredService<OutboxSignal>(),
            sp.GetRequiredService<ILogger<NotificationService>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NotificationService>());
        builder.Services.AddSingleton(sp => new ServerMetrics(
            () => sp.GetRequiredService<IngestionGate>().Depth,
            () => sp.GetRequiredService<DetectionService>().LagSeconds(),
            () => store.PendingNotifications()));
        PollingSetup.Add(builder.Services, options);
        builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("forgewatch")).WithMetrics(metrics => metrics.AddMeter(ServerMetrics.MeterName).AddPrometheusExporter());
        builder.Services.AddProblemDetails();

        // One line per request is noise at ingestion rates.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // The events endpoint bounds the body itself (413 past Forgewatch:MaxBatchBytes).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);

        WebApplication app = builder.Build();
        app.UseExceptionHandler();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapGet("/healthz", (IServerStore s) => Results.Ok(new { status = "ok", tenants = s.ListTenants().Count }));
        EventsEndpoint.Map(app);
        IncidentsEndpoints.Map(app);
        IndicatorsEndpoint.Map(app);
        TenantsEndpoints.Map(app);
        return app;
    }

    /// <summary>Batches half-written when the server last stopped were never acknowledged: their senders
    /// send them again.</summary>
    private static void ClearIncoming(string incoming)
    {
        if (!Directory.Exists(incoming))
        {
            return;
        }

        foreach (string file in Directory.EnumerateFiles(incoming, "*.batch"))
        {
            File.Delete(file);
        }
    }
}
