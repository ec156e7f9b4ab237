using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Forgewatch.Server.Metrics;

/// <summary>
/// The server's metrics (meter <c>Forgewatch.Server</c>), exported at <c>/metrics</c> for Prometheus
/// (docs/serve.md lists them with their Prometheus names). Counters are per tenant; the gauges read live
/// values when scraped. Thread-safe.
/// </summary>
public sealed class ServerMetrics : IDisposable
{
    public const string MeterName = "Forgewatch.Server";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _ingested;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _rejectedRecords;
    private readonly Counter<long> _polledRecords;
    private readonly Counter<long> _pollRejected;
    private readonly Counter<long> _pollRequests;
    private readonly Counter<long> _pollThrottled;

    public ServerMetrics(Func<int> queueDepth, Func<double> detectionLagSeconds, Func<long> notificationsPending)
    {
        _ingested = _meter.CreateCounter<long>("forgewatch.events.ingested", "{event}", "Events stored (new records).");
        _duplicates = _meter.CreateCounter<long>("forgewatch.events.duplicates", "{event}", "Records received again and not stored twice.");
        _refused = _meter.CreateCounter<long>("forgewatch.batches.refused", "{batch}", "Batches refused, by reason: bad_batch, too_large, queue_full, unauthorized, no_such_tenant.");
        _rejectedRecords = _meter.CreateCounter<long>("forgewatch.records.rejected", "{record}", "Records that could not be read, in refused batches.");
        _polledRecords = _meter.CreateCounter<long>("forgewatch.poll.records", "{record}", "Records read from polled content blobs and pages, by tenant and source.");
        _pollRejected = _meter.CreateCounter<long>("forgewatch.poll.rejected", "{record}", "Polled records that could not be read and were dropped, by tenant and source.");
        _pollRequests = _meter.CreateCounter<long>("forgewatch.poll.requests", "{request}", "Requests sent to the Microsoft APIs (tokens, listings, content, pages; each retry too), by tenant and source.");
        _pollThrottled = _meter.CreateCounter<long>("forgewatch.poll.throttled", "{response}", "429 and 503 answers from the Microsoft APIs, by tenant and source.");
        _meter.CreateObservableGauge("forgewatch.ingestion.queue.depth", queueDepth, "{batch}", "Batches being stored or waiting for a turn.");
        _meter.CreateObservableGauge("forgewatch.detection.lag", detectionLagSeconds, "s", "How long the oldest committed batch has waited for its investigation (0 when none waits).");
        _meter.CreateObservableGauge("forgewatch.notifications.pending", notificationsPending, "{notification}", "Notifications in the outbox not yet delivered.");
    }

    public void Stored(string tenant, int stored, int duplicates)
    {
        var tag = new KeyValuePair<string, object?>("tenant", tenant);
        _ingested.Add(stored, tag);
        _duplicates.Add(duplicates, tag);
    }

    public void Refused(string reason, int rejectedRecords = 0)
    {
        _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));
        if (rejectedRecords > 0)
        {
            _rejectedRecords.Add(rejectedRecords);
        }
    }

    public void Polled(string tenant, string source, int records) => _polledRecords.Add(records, Tags(tenant, source));

    public void PollRejected(string tenant, string source, int records) => _pollRejected.Add(records, Tags(tenant, source));

    public void PollRequest(string tenant, string source) => _pollRequests.Add(1, Tags(tenant, source));

    public void PollThrottled(string tenant, string source) => _pollThrottled.Add(1, Tags(tenant, source));

    public void Dispose() => _meter.Dispose();

    private static TagList Tags(string tenant, string source) => new() { { "tenant", tenant }, { "source", source } };
}
