namespace Forgewatch.Tokens.Sources;

/// <summary>Limits on fetching keys from URLs: HTTPS only, from these hosts only, this small, this fast, and
/// how long a fetched set is kept before it is fetched again.</summary>
public sealed record KeyFetchOptions
{
    /// <summary>Host names keys may come from (exact, ignoring case). Empty: none; every URL is refused.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>The whole request, connection to last byte (default 10 seconds).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest key set or discovery document read (default 1 MiB).</summary>
    public int MaxBytes { get; init; } = 1024 * 1024;

    /// <summary>A fetched key set is used this long before it is fetched again (default 1 hour).</summary>
    public TimeSpan Refresh { get; init; } = TimeSpan.FromHours(1);

    /// <summary>When a refresh fails, the last good set is kept this long past its refresh time, and the
    /// failure is reported (default 24 hours). After that the failure is an error.</summary>
    public TimeSpan MaxStale { get; init; } = TimeSpan.FromHours(24);
}
