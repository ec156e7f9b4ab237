using System.Text;

namespace Forgewatch.Tokens.Policy;

/// <summary>
/// What one key may sign: the issuers (templates allowed), and optionally the tenants, audiences and token
/// types, within a validity window that a retirement date may close early. A token signed by the key that
/// claims anything outside this is forged, however good its signature. Empty lists mean "any".
/// </summary>
public sealed record KeyScope
{
    /// <summary>A key nothing binds: it may sign for any issuer. Verdicts say so.</summary>
    public static readonly KeyScope Unbound = new() { Owner = "no stated owner", Origin = "none" };

    private byte[][] _tenants = [];
    private byte[][] _audiences = [];

    /// <summary>Whom the key belongs to, for messages ("Microsoft consumer accounts (MSA)").</summary>
    public string Owner { get; init; } = "unknown owner";

    public IReadOnlyList<IssuerTemplate> Issuers { get; init; } = [];

    public IReadOnlyList<string> Tenants
    {
        get => _tenants.Select(Encoding.UTF8.GetString).ToArray();
        init => _tenants = value.Select(Encoding.UTF8.GetBytes).ToArray();
    }

    public IReadOnlyList<string> Audiences
    {
        get => _audiences.Select(Encoding.UTF8.GetString).ToArray();
        init => _audiences = value.Select(Encoding.UTF8.GetBytes).ToArray();
    }

    /// <summary>Header <c>typ</c> values the key may sign (compared ignoring case, as RFC 7515 asks).</summary>
    public IReadOnlyList<string> TokenTypes { get; init; } = [];

    /// <summary>The key signs nothing issued before this.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>The key signs nothing issued after this.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>The key was retired: nothing it signed is accepted after this, nor anything claiming to have
    /// been issued after it.</summary>
    public DateTimeOffset? Retired { get; init; }

    /// <summary>Where this scope came from (<see cref="KeyScopePolicy.RuleOrigin"/> and its siblings); set by
    /// the policy.</summary>
    public string Origin { get; init; } = "none";

    public bool IsBound => Issuers.Count > 0 || _tenants.Length > 0 || _audiences.Length > 0 || TokenTypes.Count > 0 || NotBefore is not null || NotAfter is not null || Retired is not null;

    internal bool AllowsIssuer(ReadOnlySpan<byte> issuer, ReadOnlySpan<byte> tenant)
    {
        if (Issuers.Count == 0)
        {
            return true;
        }

        foreach (IssuerTemplate template in Issuers)
        {
            if (template.Matches(issuer, tenant))
            {
                return true;
            }
        }

        return false;
    }

    internal bool AllowsTenant(ReadOnlySpan<byte> tenant) => _tenants.Length == 0 || AnyEqual(_tenants, tenant);

    internal bool AllowsAudience(ReadOnlySpan<byte> audience) => _audiences.Length == 0 || AnyEqual(_audiences, audience);

    internal bool RestrictsAudience => _audiences.Length > 0;

    private static bool AnyEqual(byte[][] values, ReadOnlySpan<byte> candidate)
    {
        foreach (byte[] value in values)
        {
            if (candidate.SequenceEqual(value))
            {
                return true;
            }
        }

        return false;
    }
}
