using System.Text.Json;

namespace Forgewatch.Server.Polling;

/// <summary>
/// Where the Management Activity API poll of one content type got to: content is listed from
/// <see cref="Start"/> (inclusive, by when the content became available), and <see cref="Fetched"/> holds the
/// content at or after it that is already committed, so a listing that repeats it (a restart within a
/// window, or the overlap) does not fetch it again. Saved after each blob is committed.
/// </summary>
internal sealed record ContentCheckpoint(DateTimeOffset Start, IReadOnlyList<FetchedContent> Fetched)
{
    public string ToJson() => JsonSerializer.Serialize(this, CheckpointJson.Options);

    /// <summary>The checkpoint, or null when there is none or it cannot be read (then the poll starts over
    /// from its lookback; what it fetches again is dropped as duplicates).</summary>
    public static ContentCheckpoint? Parse(string? json) => CheckpointJson.Parse<ContentCheckpoint>(json) is { Fetched: not null } c ? c : null;
}

/// <summary>A content blob already committed, with when it became available.</summary>
internal sealed record FetchedContent(string Id, DateTimeOffset Created);

/// <summary>
/// Where the Graph sign-in poll got to: every sign-in created before <see cref="Through"/> is committed
/// (the next query starts there, less the overlap). While a query's pages are being read, <see cref="Next"/>
/// is the next page to read and <see cref="QueryStarted"/> when the query began (the next
/// <see cref="Through"/> once its last page is committed), so a restart goes on from that page.
/// </summary>
internal sealed record SignInCheckpoint(DateTimeOffset Through, string? Next, DateTimeOffset? QueryStarted)
{
    public string ToJson() => JsonSerializer.Serialize(this, CheckpointJson.Options);

    public static SignInCheckpoint? Parse(string? json) => CheckpointJson.Parse<SignInCheckpoint>(json);
}

internal static class CheckpointJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static T? Parse<T>(string? json)
        where T : class
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
