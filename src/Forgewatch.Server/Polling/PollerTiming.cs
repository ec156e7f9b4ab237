namespace Forgewatch.Server.Polling;

/// <summary>
/// How long the pollers wait and how often they try. Not settings: the defaults follow Microsoft's guidance
/// (honour <c>Retry-After</c>, back off exponentially); tests shorten them.
/// </summary>
internal sealed record PollerTiming
{
    /// <summary>Attempts of one request before the poll gives up until its next interval.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>The first wait after a transient failure; each next one doubles, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest <c>Retry-After</c> obeyed; a longer one is cut to this (the request then tries
    /// again, and is throttled again if it must be).</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one request, its answer's body included, may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>A token is renewed this long before it expires (or at half its life, if that is sooner).</summary>
    public TimeSpan TokenRenewBefore { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1, with ±20% jitter so that tenants that
    /// failed together do not retry together.</summary>
    public TimeSpan Backoff(int attempt)
    {
        double seconds = Math.Min(MaxBackoff.TotalSeconds, FirstBackoff.TotalSeconds * Math.Pow(2, Math.Max(0, attempt - 1)));
        return TimeSpan.FromSeconds(seconds * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }
}
