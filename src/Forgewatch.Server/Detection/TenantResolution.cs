using Forgewatch.Core.Coverage;
using Forgewatch.Core.Events;

namespace Forgewatch.Server.Detection;

/// <summary>
/// The tenant each observed event was attributed to, for the records that name none (Graph v1.0 sign-ins):
/// <see cref="CoverageMap.TenantOf"/> answers through the user's domain, and a later record can tie that
/// domain to another tenant. Remembering the answers given lets the stream notice that and observe the
/// history again, so that what it finds does not depend on the order records came in.
/// </summary>
public sealed class TenantResolution
{
    private readonly Dictionary<string, string> _domains = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The tenant of <paramref name="e"/> as <paramref name="coverage"/> answers now, remembered.</summary>
    public string TenantOf(AuditEvent e, CoverageMap coverage)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(coverage);
        string tenant = coverage.TenantOf(e);
        if (e.TenantId is not { Length: > 0 } && Domain(e.UserId) is { } domain)
        {
            _domains.TryAdd(domain, tenant);
        }

        return tenant;
    }

    /// <summary>True when <paramref name="coverage"/> still gives every remembered answer.</summary>
    public bool StillHolds(CoverageMap coverage)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        foreach ((string domain, string tenant) in _domains)
        {
            if (!string.Equals(coverage.TenantOfDomain(domain), tenant, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public TenantResolution Copy()
    {
        var copy = new TenantResolution();
        foreach ((string domain, string tenant) in _domains)
        {
            copy._domains[domain] = tenant;
        }

        return copy;
    }

    public void Write(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_domains.Count);
        foreach ((string domain, string tenant) in _domains)
        {
            writer.Write(domain);
            writer.Write(tenant);
        }
    }

    public static TenantResolution Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var resolution = new TenantResolution();
        int count = reader.ReadInt32();
        if (count < 0)
        {
            throw new InvalidDataException("Negative count of resolved domains.");
        }

        for (int i = 0; i < count; i++)
        {
            resolution._domains[reader.ReadString()] = reader.ReadString();
        }

        return resolution;
    }

    private static string? Domain(string? user)
    {
        int at = user?.LastIndexOf('@') ?? -1;
        return at > 0 && at < user!.Length - 1 ? user[(at + 1)..] : null;
    }
}
