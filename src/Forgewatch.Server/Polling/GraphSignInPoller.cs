using System.Globalization;
using System.Net;
using System.Text.Json;
using Forgewatch.Server.Storage;
using Microsoft.Extensions.Logging;

namespace Forgewatch.Server.Polling;

/// <summary>
/// Polls Microsoft Graph <c>GET /v1.0/auditLogs/signIns?$filter=createdDateTime ge T</c> for one Entra tenant and
/// follows <c>@odata.nextLink</c> until there is none. The API takes only <c>$filter</c>, <c>$top</c> and
/// <c>$skiptoken</c> (no <c>$orderby</c>) and answers newest first, so the checkpoint's time moves only when a
/// query's last page is committed: to when the query began. Meanwhile the checkpoint holds the next page's
/// link, saved after each page is committed, so a restart goes on from there (and starts the query again if
/// that link was refused). Each query starts <see cref="PollerOptions.OverlapMinutes"/> before the checkpoint,
/// for sign-ins that show up late; the repeats are dropped as duplicates.
/// </summary>
internal sealed class GraphSignInPoller(
    PollerOptions options,
    PollHttp http,
    ClientCredentials credentials,
    PolledIngestion ingestion,
    IServerStore store,
    TimeProvider time,
    ILogger log) : IPollSource
{
    public string Tenant => options.Tenant;

    public string Name => PollerOptions.GraphSignIns;

    public TimeSpan Interval => options.Interval;

    public static string CheckpointKey(PollerOptions options) => $"{PollerOptions.GraphSignIns}/{options.DirectoryTenantId.ToLowerInvariant()}";

    public async Task<PollResult> PollAsync(CancellationToken cancellationToken)
    {
        string key = CheckpointKey(options);
        string? saved = store.ReadCheckpoint(Tenant, key);
        SignInCheckpoint? checkpoint = SignInCheckpoint.Parse(saved);
        if (saved is not null && checkpoint is null)
        {
            log.CheckpointUnreadable(Tenant, Name, key);
        }

        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset through = checkpoint?.Through ?? now - TimeSpan.FromHours(options.StartLookbackHours);
        bool resumed = checkpoint is { Next: not null, QueryStarted: not null };
        DateTimeOffset queryStarted = resumed ? checkpoint!.QueryStarted!.Value : now;
        Uri page = resumed ? ApiLinks.Checked(checkpoint!.Next!, options.GraphUrl, "@odata.nextLink") : Query(through - options.Overlap);
        var result = new PollResult();
        for (int number = 1; ; number++)
        {
            string what = $"sign-in page {number}";
            Uri current = page;
            ApiResponse response = await http.SendAsync(what, ct => credentials.AuthorizedAsync(HttpMethod.Get, current, ct), credentials.RenewAsync, cancellationToken).ConfigureAwait(false);
            if (resumed && !response.IsSuccess && response.Status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                // A skip token can expire while the server is down: the query starts over from the checkpoint.
                log.ResumeRefused(Tenant, Name, response.Describe());
                resumed = false;
                queryStarted = now;
                page = Query(through - options.Overlap);
                continue;
            }

            resumed = false;
            string? next = NextLink(response.SuccessBody(what), what);
            (int records, int stored) = await ingestion.IngestAsync(Tenant, Name, what, response.Body, cancellationToken).ConfigureAwait(false);
            result += new PollResult(1, records, stored);
            if (next is null)
            {
                store.SaveCheckpoint(Tenant, key, new SignInCheckpoint(queryStarted, null, null).ToJson(), time.GetUtcNow());
                return result;
            }

            page = ApiLinks.Checked(next, options.GraphUrl, "@odata.nextLink");
            store.SaveCheckpoint(Tenant, key, new SignInCheckpoint(through, next, queryStarted).ToJson(), time.GetUtcNow());
        }
    }

    private Uri Query(DateTimeOffset from)
    {
        string filter = $"createdDateTime ge {from.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}";
        return new Uri($"{options.GraphUrl.TrimEnd('/')}/v1.0/auditLogs/signIns?$filter={Uri.EscapeDataString(filter)}");
    }

    /// <summary>The page's <c>@odata.nextLink</c>, or null on the last page.</summary>
    private static string? NextLink(byte[] body, string what)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("value", out JsonElement value) || value.ValueKind != JsonValueKind.Array)
            {
                throw new PollFailedException($"{what}: the answer has no \"value\" array.");
            }

            return document.RootElement.TryGetProperty("@odata.nextLink", out JsonElement next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        catch (JsonException e)
        {
            throw new PollFailedException($"{what}: the answer is not JSON ({e.Message}).");
        }
    }
}
