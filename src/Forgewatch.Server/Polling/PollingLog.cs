using Microsoft.Extensions.Logging;

namespace Forgewatch.Server.Polling;

/// <summary>The pollers' log lines, with stable event ids (63xx). Text from the APIs is escaped before it gets
/// here; no line carries a secret or a token.</summary>
internal static partial class PollingLog
{
    public const string Category = "Forgewatch.Server.Polling";

    [LoggerMessage(EventId = 6301, Level = LogLevel.Information, Message = "Polling {Source} of Entra tenant {DirectoryTenantId} for tenant {Tenant} every {IntervalSeconds} s.")]
    public static partial void PollerStarted(this ILogger log, string tenant, string source, string directoryTenantId, int intervalSeconds);

    [LoggerMessage(EventId = 6302, Level = LogLevel.Information, Message = "Tenant {Tenant}, {Source}: {Items} content blob(s) or page(s), {Records} record(s), {Stored} new.")]
    public static partial void PollDone(this ILogger log, string tenant, string source, int items, int records, int stored);

    [LoggerMessage(EventId = 6303, Level = LogLevel.Error, Message = "Tenant {Tenant}, {Source}: poll failed: {Reason} Trying again in {IntervalSeconds} s from the last checkpoint.")]
    public static partial void PollFailed(this ILogger log, string tenant, string source, string reason, int intervalSeconds);

    [LoggerMessage(EventId = 6304, Level = LogLevel.Error, Message = "Tenant {Tenant}, {Source}: {Reason}. Check the poller's ClientId, ClientSecret and DirectoryTenantId and the app's consent; trying again in {IntervalSeconds} s.")]
    public static partial void TokenRefused(this ILogger log, string tenant, string source, string reason, int intervalSeconds);

    [LoggerMessage(EventId = 6305, Level = LogLevel.Warning, Message = "Tenant {Tenant}, {Source}: {What} throttled ({Status}, {Hint}); waiting {Seconds:0.#} s.")]
    public static partial void Throttled(this ILogger log, string tenant, string source, string what, int status, string hint, double seconds);

    [LoggerMessage(EventId = 6306, Level = LogLevel.Warning, Message = "Tenant {Tenant}, {Source}: {What} failed ({Reason}), attempt {Attempt} of {MaxAttempts}; trying again in {Seconds:0.#} s.")]
    public static partial void Retrying(this ILogger log, string tenant, string source, string what, string reason, int attempt, int maxAttempts, double seconds);

    [LoggerMessage(EventId = 6307, Level = LogLevel.Warning, Message = "Tenant {Tenant}, {Source}: {Count} record(s) of {What} could not be read and were dropped; the first: {Code}, {Reason}")]
    public static partial void RecordsRejected(this ILogger log, string tenant, string source, string what, int count, string code, string reason);

    [LoggerMessage(EventId = 6308, Level = LogLevel.Information, Message = "Tenant {Tenant}: started the Management Activity API subscription to {ContentType} (its first content can take up to 12 hours).")]
    public static partial void SubscriptionStarted(this ILogger log, string tenant, string contentType);

    [LoggerMessage(EventId = 6309, Level = LogLevel.Warning, Message = "Tenant {Tenant}: the subscription to {ContentType} could not be started: {Reason}")]
    public static partial void SubscriptionNotStarted(this ILogger log, string tenant, string contentType, string reason);

    [LoggerMessage(EventId = 6310, Level = LogLevel.Warning, Message = "Tenant {Tenant}, {Source}: no such tenant; add it (forgewatch tenant add) and its records will be polled.")]
    public static partial void NoSuchTenant(this ILogger log, string tenant, string source);

    [LoggerMessage(EventId = 6311, Level = LogLevel.Warning, Message = "Tenant {Tenant}, {Source}: {What} skipped: {Reason}")]
    public static partial void ContentSkipped(this ILogger log, string tenant, string source, string what, string reason);

    [LoggerMessage(EventId = 6312, Level = LogLevel.Warning, Message = "Tenant {Tenant}, {Source}: the saved next page was refused ({Reason}); the query starts again from the checkpoint.")]
    public static partial void ResumeRefused(this ILogger log, string tenant, string source, string reason);

    [LoggerMessage(EventId = 6313, Level = LogLevel.Information, Message = "Tenant {Tenant}, {ContentType}: content from {Start:u} to {End:u} done: {Items} blob(s), {Records} record(s), {Stored} new.")]
    public static partial void WindowDone(this ILogger log, string tenant, string contentType, DateTimeOffset start, DateTimeOffset end, int items, int records, int stored);

    [LoggerMessage(EventId = 6314, Level = LogLevel.Warning, Message = "Tenant {Tenant}, {ContentType}: the checkpoint ({Checkpoint:u}) is older than the 7 days the Management Activity API lists; content from before {Oldest:u} was missed.")]
    public static partial void ContentMissed(this ILogger log, string tenant, string contentType, DateTimeOffset checkpoint, DateTimeOffset oldest);

    [LoggerMessage(EventId = 6315, Level = LogLevel.Warning, Message = "Tenant {Tenant}, {Source}: the checkpoint {Key} cannot be read; starting from the lookback (repeats are dropped as duplicates).")]
    public static partial void CheckpointUnreadable(this ILogger log, string tenant, string source, string key);

    [LoggerMessage(EventId = 6316, Level = LogLevel.Error, Message = "Tenant {Tenant}, {ContentType}: {Reason} The other content types go on; this one tries again at the next interval from its checkpoint.")]
    public static partial void ContentTypeFailed(this ILogger log, string tenant, string contentType, string reason);

    [LoggerMessage(EventId = 6317, Level = LogLevel.Debug, Message = "Tenant {Tenant}, {Source}: {What}: {Records} record(s), {Stored} new.")]
    public static partial void Fetched(this ILogger log, string tenant, string source, string what, int records, int stored);

    [LoggerMessage(EventId = 6319, Level = LogLevel.Debug, Message = "Tenant {Tenant}, {Source}: nothing new ({Items} content blob(s) or page(s)).")]
    public static partial void NothingNew(this ILogger log, string tenant, string source, int items);

    [LoggerMessage(EventId = 6318, Level = LogLevel.Error, Message = "Tenant {Tenant}, {Source}: poll failed unexpectedly; trying again in {IntervalSeconds} s from the last checkpoint.")]
    public static partial void PollCrashed(this ILogger log, Exception exception, string tenant, string source, int intervalSeconds);
}
