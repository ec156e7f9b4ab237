using Forgewatch.Core.Events;

namespace Forgewatch.Core.Engine;

/// <summary>
/// Remembers one coverage question per detection: "does <c>log</c> of a tenant cover the window of a given
/// length that ends at this time". Coverage is kept by the hour, so for a window of whole hours every time
/// within one hour gets the same answer, and most records ask about the hour of the record before.
/// Not thread-safe.
/// </summary>
internal sealed class CoverageCache(LogKind log, TimeSpan window)
{
    private string? _tenant;
    private long _hour = long.MinValue;
    private bool _answer;

    public bool Covers(ILogCoverage coverage, string tenant, DateTime time)
    {
        long hour = time.Ticks / TimeSpan.TicksPerHour;
        if (hour != _hour || !ReferenceEquals(tenant, _tenant))
        {
            _answer = coverage.Covers(tenant, log, time - window, time);
            _hour = hour;
            _tenant = tenant;
        }

        return _answer;
    }
}
