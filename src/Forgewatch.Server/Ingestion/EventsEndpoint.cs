using Forgewatch.Server.Detection;
using Forgewatch.Server.Hosting;
using Forgewatch.Server.Metrics;
using Forgewatch.Server.Storage;
using Forgewatch.Server.Tenants;
using Forgewatch.Sources.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Forgewatch.Server.Ingestion;

/// <summary>
/// <c>POST /api/v1/tenants/{tenant}/events</c>: a batch of audit records in any shape <c>scan</c> reads
/// (gzip too), with the tenant's ingestion key as a bearer token. The answer comes after the batch is
/// committed: 200 with a receipt; 400 (problem details, nothing stored) when any record is refused; 401
/// without a valid key; 404 for another tenant's path; 413 over the size limit; 429 with
/// <c>Retry-After</c> when the queue is full.
/// </summary>
internal static class EventsEndpoint
{
    public const string Route = "/api/v1/tenants/{tenant}/events";

    public static void Map(IEndpointRouteBuilder endpoints) => endpoints.MapPost(Route, HandleAsync);

    private static async Task<IResult> HandleAsync(
        string tenant,
        HttpContext context,
        IServerStore store,
        IngestionGate gate,
        BatchReader reader,
        IOptions<ServerOptions> options,
        DetectionService detection,
        ServerMetrics metrics,
        TimeProvider time)
    {
        if (TenantAuthentication.Refuse(tenant, context, store, out string? reason) is { } refused)
        {
            metrics.Refused(reason!);
            return refused;
        }

        // Held from the moment the batch comes in, its wait for a turn included: a batch waiting there must not
        // be overtaken by the detections.
        using BatchHolds.Hold hold = detection.HoldBatch(tenant);
        using IDisposable? turn = await gate.TryEnterAsync(context.RequestAborted).ConfigureAwait(false);
        if (turn is null)
        {
            metrics.Refused("queue_full");
            return Problems.QueueFull(context, options.Value.RetryAfterSeconds);
        }

        BatchContent content = await reader.ReadAsync(context.Request.Body, context.Request.ContentLength, context.RequestAborted).ConfigureAwait(false);
        if (content.OverLimit)
        {
            metrics.Refused("too_large");
            return content.OverRecordLimit is { } records ? Problems.TooManyRecords(records) : Problems.TooLarge(options.Value.MaxBatchBytes);
        }

        if (content.Rejections.Count > 0)
        {
            metrics.Refused("bad_batch", content.Rejections.Count);
            return Problems.BadBatch(
                $"{content.Rejections.Count:N0} record(s) could not be read; nothing from this batch was stored. Fix or drop them and send the batch again.",
                new Dictionary<string, object?>
                {
                    ["rejectedCount"] = content.Rejections.Count,
                    ["rejections"] = content.Rejections.Take(BatchReader.MaxShownRejections).Select(Shown).ToArray(),
                });
        }

        if (content.Events.Count == 0)
        {
            metrics.Refused("bad_batch");
            return Problems.BadBatch("The batch holds no records.");
        }

        hold.Narrow(content.Events.Min(e => e.Time));
        StoredBatch stored = store.StoreEvents(tenant, content.Events, time.GetUtcNow());
        metrics.Stored(tenant, stored.Stored, stored.Duplicates + content.DuplicatesInBatch);
        if (stored.Stored > 0)
        {
            detection.Committed(tenant, content.Events, stored);
        }

        hold.Dispose();
        if (stored.Stored > 0)
        {
            detection.TenantChanged(tenant);
        }

        return Results.Ok(new IngestionReceipt(tenant, stored.BatchId, content.Events.Count + content.DuplicatesInBatch, stored.Stored, stored.Duplicates + content.DuplicatesInBatch));
    }

    private static RejectionView Shown(Rejection r) => new(r.Line, r.ByteOffset, r.Code, r.Reason, r.Excerpt);
}

/// <summary>The 200 answer: the batch's id, its records, how many were new, and how many were already stored
/// (or repeated within the batch).</summary>
internal sealed record IngestionReceipt(string Tenant, long Batch, int Records, int Stored, int Duplicates);

/// <summary>One refused record in a 400 answer: where it was in the body, its reason code and sentence, and
/// its start.</summary>
internal sealed record RejectionView(long Line, long ByteOffset, string Code, string Reason, string? Excerpt);
