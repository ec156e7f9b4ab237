using Forgewatch.Server.Detection;
using Forgewatch.Server.Ingestion;
using Forgewatch.Server.Metrics;
using Forgewatch.Server.Storage;
using Microsoft.Extensions.Logging;

namespace Forgewatch.Server.Polling;

/// <summary>
/// Stores what a poll fetched the way a pushed batch is stored: read by <see cref="BatchReader"/> (the same
/// readers, shape sniffing and limits), de-duplicated by record id, committed in one transaction, and the
/// tenant handed to <see cref="DetectionService"/>. Unlike a push, nobody can send a fixed copy, so records
/// that cannot be read are counted and logged and the rest is stored. Thread-safe.
/// </summary>
internal sealed class PolledIngestion(BatchReader reader, IServerStore store, DetectionService detection, ServerMetrics metrics, TimeProvider time, ILogger log)
{
    /// <summary>Reads and commits one content blob or page; returns the records read and how many were new.
    /// When it returns, the records are durable, so the caller may move its checkpoint past them.</summary>
    public async Task<(int Records, int Stored)> IngestAsync(string tenant, string source, string what, byte[] body, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(body, writable: false);
        BatchContent content = await reader.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
        if (content.OverLimit)
        {
            log.ContentSkipped(tenant, source, what, content.OverRecordLimit is { } limit ? $"more than {limit:N0} records (Forgewatch:MaxBatchRecords)" : "larger than Forgewatch:MaxBatchBytes");
            return (0, 0);
        }

        if (content.Rejections.Count > 0)
        {
            metrics.PollRejected(tenant, source, content.Rejections.Count);
            Sources.Pipeline.Rejection first = content.Rejections[0];
            log.RecordsRejected(tenant, source, what, content.Rejections.Count, first.Code, Reports.LogText.Escaped(first.Reason));
        }

        int records = content.Events.Count + content.DuplicatesInBatch;
        metrics.Polled(tenant, source, records);
        if (content.Events.Count == 0)
        {
            return (records, 0);
        }

        StoredBatch stored = store.StoreEvents(tenant, content.Events, time.GetUtcNow());
        metrics.Stored(tenant, stored.Stored, stored.Duplicates + content.DuplicatesInBatch);
        if (stored.Stored > 0)
        {
            detection.TenantChanged(tenant);
        }

        log.Fetched(tenant, source, what, records, stored.Stored);
        return (records, stored.Stored);
    }
}
