using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Snapshots;
using Forgewatch.Core.Events;

namespace Forgewatch.Core.Coverage;

/// <summary>
/// Which log streams were seen for each tenant, and over which hours. A detection that needs a stream
/// (sign-ins, say, to tell whether a mail session was created by a real sign-in) can ask whether that
/// stream covers a time before concluding anything. Not thread-safe: fed by one consumer.
/// </summary>
/// <remarks>
/// Graph v1.0 sign-ins name no tenant. Such records are attributed through their user's domain: a domain
/// belongs to the tenant whose own records (UAL <c>OrganizationId</c>) most often carry users of it.
/// A domain never seen with a tenant stays apart as <c>(unknown tenant: domain)</c>.
/// </remarks>
public sealed class CoverageMap : ILogCoverage
{
    /// <summary>Hours without records that still count as covered when between two covered hours:
    /// quiet nights and weekends are not gaps in an export.</summary>
    public static readonly TimeSpan DefaultGapTolerance = TimeSpan.FromHours(24);

    /// <summary>Tenant key for records that name no tenant and no user domain.</summary>
    public const string UnknownTenant = "(unknown tenant)";

    private const string DomainKeyPrefix = "@";

    private readonly Dictionary<(string Key, LogKind Log), StreamCoverage> _streams = [];
    private readonly Dictionary<string, Dictionary<string, long>> _domainTenants = new(StringComparer.OrdinalIgnoreCase);
    private (string Key, LogKind Log) _lastKey;
    private StreamCoverage? _last;
    private string? _lastUser;
    private string? _lastUserDomain;
    private Dictionary<(string Tenant, LogKind Log), StreamCoverage>? _resolved;
    private Dictionary<(string Tenant, LogKind Log), (DateTime From, DateTime To)[]>? _spans;
    private Dictionary<string, string>? _domainResolution;

    public void Add(AuditEvent e)
    {
        _resolved = null;
        _spans = null;
        _domainResolution = null;
        string? domain = DomainOf(e.UserId);
        string key;
        if (e.TenantId is { Length: > 0 } tenant)
        {
            key = tenant;
            if (domain is not null)
            {
                if (!_domainTenants.TryGetValue(domain, out Dictionary<string, long>? tenants))
                {
                    tenants = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
                    _domainTenants[domain] = tenants;
                }

                tenants[tenant] = tenants.GetValueOrDefault(tenant) + 1;
            }
        }
        else
        {
            key = domain is null ? UnknownTenant : DomainKeyPrefix + domain;
        }

        if (_last is null || key != _lastKey.Key || e.Log != _lastKey.Log)
        {
            if (!_streams.TryGetValue((key, e.Log), out _last))
            {
                _last = new StreamCoverage();
                _streams[(key, e.Log)] = _last;
            }

            _lastKey = (key, e.Log);
        }

        _last.Add(e.Time);
    }

    public IEnumerable<string> Tenants => Resolved.Keys.Select(k => k.Tenant).Distinct().Order(StringComparer.Ordinal);

    /// <summary>The streams seen for a tenant, in <see cref="LogKind"/> order.</summary>
    public IEnumerable<(LogKind Log, StreamCoverage Coverage)> StreamsOf(string tenant) =>
        Resolved.Where(p => p.Key.Tenant == tenant).OrderBy(p => p.Key.Log).Select(p => (p.Key.Log, p.Value));

    /// <summary>True when <paramref name="log"/> for <paramref name="tenant"/> covers <paramref name="time"/>.</summary>
    public bool Covers(string tenant, LogKind log, DateTime time) =>
        Resolved.TryGetValue((tenant, log), out StreamCoverage? coverage) && coverage.Covers(time, DefaultGapTolerance);

    /// <summary>
    /// Records before this time were left out on purpose (<c>--since</c>): the hour it falls in counts as
    /// covered in <c>coverage.json</c> but holds only part of its records, so no window starting before it is
    /// covered. <see cref="DateTime.MinValue"/> when nothing was left out.
    /// </summary>
    public DateTime NotBefore { get; set; } = DateTime.MinValue;

    /// <summary>True when <paramref name="log"/> of <paramref name="tenant"/> covers the whole of
    /// [<paramref name="start"/>, <paramref name="until"/>]: one covered span holds both ends, and the window
    /// starts at or after <see cref="NotBefore"/>.</summary>
    public bool Covers(string tenant, LogKind log, DateTime start, DateTime until)
    {
        if (start < NotBefore)
        {
            return false;
        }

        _spans ??= Resolved.ToDictionary(p => p.Key, p => p.Value.Spans(DefaultGapTolerance).ToArray());
        if (!_spans.TryGetValue((tenant, log), out (DateTime From, DateTime To)[]? spans))
        {
            return false;
        }

        int low = 0;
        int high = spans.Length - 1;
        while (low <= high)
        {
            int middle = (low + high) / 2;
            if (spans[middle].To <= start)
            {
                low = middle + 1;
            }
            else if (spans[middle].From > start)
            {
                high = middle - 1;
            }
            else
            {
                return until < spans[middle].To;
            }
        }

        return false;
    }

    /// <summary>The tenant an event belongs to: its own tenant id, else the tenant its user's domain belongs
    /// to (see the remarks), else <see cref="UnknownTenant"/>. Complete once every event has been added.</summary>
    public string TenantOf(AuditEvent e)
    {
        if (e.TenantId is { Length: > 0 } tenant)
        {
            return tenant;
        }

        if (DomainOf(e.UserId) is not { } domain)
        {
            return UnknownTenant;
        }

        _domainResolution ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!_domainResolution.TryGetValue(domain, out string? resolved))
        {
            resolved = TenantOfDomain(domain);
            _domainResolution[domain] = resolved;
        }

        return resolved;
    }

    /// <summary>Writes the streams and the domains' tenant counts in table order (a tie between tenants of a
    /// domain goes to the first counted), and <see cref="NotBefore"/>; the caches are made again.</summary>
    internal void WriteState(SnapshotWriter writer)
    {
        writer.WriteTime(NotBefore);
        writer.WriteItems(_streams, static (w, stream) =>
        {
            w.WriteString(stream.Key.Key);
            w.WriteByte((byte)stream.Key.Log);
            stream.Value.WriteState(w);
        });
        writer.WriteItems(_domainTenants, static (w, domain) =>
        {
            w.WriteString(domain.Key);
            w.WriteItems(domain.Value, static (w, tenant) =>
            {
                w.WriteString(tenant.Key);
                w.WriteInt64(tenant.Value);
            });
        });
    }

    /// <summary>A map equal to the one <see cref="WriteState"/> wrote.</summary>
    internal static CoverageMap ReadState(SnapshotReader reader)
    {
        var map = new CoverageMap { NotBefore = reader.ReadTime() };
        reader.ReadItems(r =>
        {
            string key = r.ReadString();
            var log = (LogKind)r.ReadByte();
            map._streams.Add((key, Enum.IsDefined(log) ? log : throw r.Corrupt($"log kind {(int)log}")), StreamCoverage.ReadState(r));
        });
        reader.ReadItems(r =>
        {
            var tenants = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            map._domainTenants.Add(r.ReadString(), tenants);
            r.ReadItems(r => tenants.Add(r.ReadString(), r.ReadInt64()));
        });
        return map;
    }

    /// <summary>The tenant a user domain belongs to now (see the remarks); a record naming the domain with
    /// another tenant may change the answer.</summary>
    public string TenantOfDomain(string domain) =>
        _domainTenants.TryGetValue(domain, out Dictionary<string, long>? tenants)
            ? tenants.MaxBy(t => t.Value).Key
            : $"(unknown tenant: {domain})";

    private Dictionary<(string Tenant, LogKind Log), StreamCoverage> Resolved => _resolved ??= Resolve();

    private Dictionary<(string Tenant, LogKind Log), StreamCoverage> Resolve()
    {
        var resolved = new Dictionary<(string, LogKind), StreamCoverage>();
        foreach (((string key, LogKind log), StreamCoverage coverage) in _streams)
        {
            string tenant = key;
            if (key.StartsWith(DomainKeyPrefix, StringComparison.Ordinal))
            {
                tenant = TenantOfDomain(key[DomainKeyPrefix.Length..]);
            }

            if (resolved.TryGetValue((tenant, log), out StreamCoverage? existing))
            {
                existing = existing.Merge(coverage);
            }
            else
            {
                existing = coverage;
            }

            resolved[(tenant, log)] = existing;
        }

        return resolved;
    }

    private string? DomainOf(string? user)
    {
        if (ReferenceEquals(user, _lastUser))
        {
            return _lastUserDomain;
        }

        _lastUser = user;
        int at = user?.LastIndexOf('@') ?? -1;
        _lastUserDomain = at > 0 && at < user!.Length - 1 ? user[(at + 1)..] : null;
        return _lastUserDomain;
    }
}
