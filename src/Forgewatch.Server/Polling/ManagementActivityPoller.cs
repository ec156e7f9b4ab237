using System.Globalization;
using System.Net;
using System.Text.Json;
using Forgewatch.Server.Storage;
using Microsoft.Extensions.Logging;

namespace Forgewatch.Server.Polling;

/// <summary>
/// Polls the Office 365 Management Activity API for one Entra tenant: makes sure each content type has a
/// subscription (<c>subscriptions/list</c>, <c>subscriptions/start</c>; "already enabled" is fine), lists the
/// content that became available since the checkpoint in windows of at most 24 hours (the API's limit),
/// following <c>NextPageUri</c>, and fetches each content blob (a JSON array of unified audit log records)
/// not fetched before. Each blob is committed, then its id goes into the content type's checkpoint, so a
/// crash fetches again at most the blob in flight. The API lists only the last 7 days: an older start is
/// clamped, and a checkpoint that fell that far behind is logged as missed content.
/// </summary>
internal sealed class ManagementActivityPoller(
    PollerOptions options,
    PollHttp http,
    ClientCredentials credentials,
    PolledIngestion ingestion,
    IServerStore store,
    TimeProvider time,
    ILogger log) : IPollSource
{
    /// <summary>A start just inside the API's 7 days, so that it is not refused for being a moment too old.</summary>
    internal static readonly TimeSpan Listable = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(5);

    /// <summary>The longest window a content listing may ask for.</summary>
    internal static readonly TimeSpan MaxWindow = TimeSpan.FromHours(24);

    private readonly string _feed = $"{options.ManagementUrl.TrimEnd('/')}/api/v1.0/{options.DirectoryTenantId}/activity/feed";
    private readonly string _publisher = options.PublisherIdentifier ?? options.DirectoryTenantId;

    public string Tenant => options.Tenant;

    public string Name => PollerOptions.ManagementActivity;

    public TimeSpan Interval => options.Interval;

    /// <summary>The checkpoint's name in the store for a content type.</summary>
    public static string CheckpointKey(PollerOptions options, string contentType) =>
        $"{PollerOptions.ManagementActivity}/{options.DirectoryTenantId.ToLowerInvariant()}/{contentType}";

    public async Task<PollResult> PollAsync(CancellationToken cancellationToken)
    {
        await EnsureSubscriptionsAsync(cancellationToken).ConfigureAwait(false);
        var result = new PollResult();
        foreach (string contentType in options.EffectiveContentTypes)
        {
            try
            {
                result += await PollContentTypeAsync(contentType, cancellationToken).ConfigureAwait(false);
            }
            catch (PollFailedException e) when (e is not TokenRefusedException)
            {
                log.ContentTypeFailed(Tenant, contentType, e.Message);
                result += new PollResult(0, 0, 0, 1);
            }
        }

        return result;
    }

    private async Task EnsureSubscriptionsAsync(CancellationToken cancellationToken)
    {
        ApiResponse list = await SendAsync(HttpMethod.Get, Feed("subscriptions/list"), "subscription list", cancellationToken).ConfigureAwait(false);
        var enabled = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (JsonElement subscription in Array(list.SuccessBody("subscription list"), "subscription list"))
        {
            if (Text(subscription, "contentType") is { } type && string.Equals(Text(subscription, "status"), "enabled", StringComparison.OrdinalIgnoreCase))
            {
                enabled.Add(type);
            }
        }

        foreach (string contentType in options.EffectiveContentTypes.Where(t => !enabled.Contains(t)))
        {
            ApiResponse start = await SendAsync(HttpMethod.Post, Feed("subscriptions/start", ("contentType", contentType)), $"{contentType} subscription start", cancellationToken).ConfigureAwait(false);
            if (start.IsSuccess)
            {
                log.SubscriptionStarted(Tenant, contentType);
            }
            else if (!IsAlreadyEnabled(start))
            {
                // Listing the content type fails next and says so; the other content types go on.
                log.SubscriptionNotStarted(Tenant, contentType, start.Describe());
            }
        }
    }

    /// <summary>AF20024: "The subscription is already enabled. No property change."</summary>
    private static bool IsAlreadyEnabled(ApiResponse response) =>
        response.Status == HttpStatusCode.BadRequest
        && (response.ErrorCode() == "AF20024" || response.Describe().Contains("already enabled", StringComparison.OrdinalIgnoreCase));

    private async Task<PollResult> PollContentTypeAsync(string contentType, CancellationToken cancellationToken)
    {
        string key = CheckpointKey(options, contentType);
        string? saved = store.ReadCheckpoint(Tenant, key);
        ContentCheckpoint? checkpoint = ContentCheckpoint.Parse(saved);
        if (saved is not null && checkpoint is null)
        {
            log.CheckpointUnreadable(Tenant, Name, key);
        }

        DateTimeOffset now = WholeSeconds(time.GetUtcNow());
        DateTimeOffset oldest = now - Listable;
        DateTimeOffset start = checkpoint?.Start ?? now - TimeSpan.FromHours(options.StartLookbackHours);
        if (start < oldest)
        {
            if (checkpoint is not null)
            {
                log.ContentMissed(Tenant, contentType, start, oldest);
            }

            start = oldest;
        }

        var fetched = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (FetchedContent f in checkpoint?.Fetched ?? [])
        {
            fetched[f.Id] = f.Created;
        }

        var total = new PollResult();
        while (true)
        {
            DateTimeOffset end = start + MaxWindow < now ? start + MaxWindow : now;
            if (end <= start)
            {
                break;
            }

            var window = new PollResult();
            Uri? page = Feed("subscriptions/content", ("contentType", contentType), ("startTime", Format(start)), ("endTime", Format(end)));
            while (page is not null)
            {
                ApiResponse listing = await SendAsync(HttpMethod.Get, page, $"{contentType} content list", cancellationToken).ConfigureAwait(false);
                foreach (JsonElement item in Array(listing.SuccessBody($"{contentType} content list"), $"{contentType} content list"))
                {
                    if (Text(item, "contentId") is not { Length: > 0 } id || Text(item, "contentUri") is not { Length: > 0 } uri || fetched.ContainsKey(id))
                    {
                        continue;
                    }

                    window += await FetchAsync(contentType, id, uri, cancellationToken).ConfigureAwait(false);
                    fetched[id] = Created(item) ?? end;
                    store.SaveCheckpoint(Tenant, key, new ContentCheckpoint(start, Snapshot(fetched)).ToJson(), time.GetUtcNow());
                }

                page = listing.NextPageUri is { } next ? ApiLinks.With(ApiLinks.Checked(next, options.ManagementUrl, "NextPageUri"), "PublisherIdentifier", _publisher) : null;
            }

            // The next window overlaps this one: content listed late is still found, and what was already
            // fetched in the overlap is in the checkpoint and not fetched again.
            DateTimeOffset nextStart = end - options.Overlap > start ? end - options.Overlap : start;
            foreach (string id in fetched.Where(f => f.Value < nextStart).Select(f => f.Key).ToList())
            {
                fetched.Remove(id);
            }

            store.SaveCheckpoint(Tenant, key, new ContentCheckpoint(nextStart, Snapshot(fetched)).ToJson(), time.GetUtcNow());
            if (window.Items > 0)
            {
                log.WindowDone(Tenant, contentType, start, end, window.Items, window.Records, window.Stored);
            }
            total += window;
            if (end >= now)
            {
                break;
            }

            start = nextStart;
        }

        return total;
    }

    private async Task<PollResult> FetchAsync(string contentType, string id, string contentUri, CancellationToken cancellationToken)
    {
        string what = $"{contentType} content {ApiLinks.Shown(id)}";
        Uri uri = ApiLinks.With(ApiLinks.Checked(contentUri, options.ManagementUrl, "contentUri"), "PublisherIdentifier", _publisher);
        ApiResponse blob = await SendAsync(HttpMethod.Get, uri, what, cancellationToken).ConfigureAwait(false);
        if (blob.Status is HttpStatusCode.NotFound or HttpStatusCode.Gone || blob.TooLarge)
        {
            // Expired, withdrawn or too large: asking again will not change it, and must not hold up the rest.
            log.ContentSkipped(Tenant, Name, what, blob.TooLarge ? "larger than Forgewatch:MaxBatchBytes" : blob.Describe());
            return new PollResult(1, 0, 0);
        }

        (int records, int stored) = await ingestion.IngestAsync(Tenant, Name, what, blob.SuccessBody(what), cancellationToken).ConfigureAwait(false);
        return new PollResult(1, records, stored);
    }

    private Task<ApiResponse> SendAsync(HttpMethod method, Uri uri, string what, CancellationToken cancellationToken) =>
        http.SendAsync(what, ct => credentials.AuthorizedAsync(method, uri, ct), credentials.RenewAsync, cancellationToken);

    private Uri Feed(string path, params (string Name, string Value)[] query)
    {
        IEnumerable<string> parameters = query.Append((Name: "PublisherIdentifier", Value: _publisher)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value)}");
        return new Uri($"{_feed}/{path}?{string.Join('&', parameters)}");
    }

    private static List<JsonElement> Array(byte[] body, string what)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? [.. document.RootElement.EnumerateArray().Select(e => e.Clone())]
                : throw new PollFailedException($"{what}: the answer is not a JSON array.");
        }
        catch (JsonException e)
        {
            throw new PollFailedException($"{what}: the answer is not JSON ({e.Message}).");
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static DateTimeOffset? Created(JsonElement item) =>
        DateTimeOffset.TryParse(Text(item, "contentCreated"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset created) ? created : null;

    private static List<FetchedContent> Snapshot(Dictionary<string, DateTimeOffset> fetched) => [.. fetched.Select(f => new FetchedContent(f.Key, f.Value))];

    /// <summary>The API's date format: UTC, to the second.</summary>
    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static DateTimeOffset WholeSeconds(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
