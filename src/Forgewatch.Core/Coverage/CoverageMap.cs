using Forgewatch.Core.Events;

namespace Forgewatch.Core.Coverage;

/// <summary>
/// Which log streams were seen for each tenant, and over which hours. A detection that needs a stream
/// (sign-ins, say, to tell whether a mail session was created by a real sign-in) can ask whether that
/// stream covers a time before concluding anything. Not thread-safe: fed by one consumer.
/// </summary>
public sealed class CoverageMap
{
    /// <summary>Hours without records that still count as covered when between two covered hours:
    /// quiet nights and weekends are not gaps in an export.</summary>
    public static readonly TimeSpan DefaultGapTolerance = TimeSpan.FromHours(24);

    private readonly Dictionary<(string Tenant, LogKind Log), StreamCoverage> _streams = [];
    private (string Tenant, LogKind Log) _lastKey;
    private StreamCoverage? _last;

    /// <summary>Tenant key used for records that name none (Graph v1.0 sign-ins carry no tenant id).</summary>
    public const string UnknownTenant = "(unknown)";

    public void Add(AuditEvent e)
    {
        var key = (e.TenantId ?? UnknownTenant, e.Log);
        if (_last is null || key != _lastKey)
        {
            if (!_streams.TryGetValue(key, out _last))
            {
                _last = new StreamCoverage();
                _streams[key] = _last;
            }

            _lastKey = key;
        }

        _last.Add(e.Time);
    }

    public IEnumerable<string> Tenants => _streams.Keys.Select(k => k.Tenant).Distinct().Order(StringComparer.Ordinal);

    /// <summary>The streams seen for a tenant, in <see cref="LogKind"/> order.</summary>
    public IEnumerable<(LogKind Log, StreamCoverage Coverage)> StreamsOf(string tenant) =>
        _streams.Where(p => p.Key.Tenant == tenant).OrderBy(p => p.Key.Log).Select(p => (p.Key.Log, p.Value));

    /// <summary>True when <paramref name="log"/> for <paramref name="tenant"/> covers <paramref name="time"/>.</summary>
    public bool Covers(string tenant, LogKind log, DateTime time) =>
        _streams.TryGetValue((tenant, log), out StreamCoverage? coverage) && coverage.Covers(time, DefaultGapTolerance);
}
