using System.Text;

namespace Forgewatch.Tokens.Policy;

/// <summary>
/// An issuer a key may sign for: exact (<c>https://sts.windows.net/0123.../</c>) or with one
/// <c>{tenantid}</c> placeholder (<c>https://login.microsoftonline.com/{tenantid}/v2.0</c>) that the token's
/// own <c>tid</c> claim must be present to fill: the token's <c>iss</c> must then be the template with its
/// <c>tid</c> in place, and that <c>tid</c> must be a plain identifier. Compared as UTF-8, ordinally, without allocating.
/// </summary>
public sealed class IssuerTemplate
{
    public const string TenantPlaceholder = "{tenantid}";

    private readonly byte[] _prefix;
    private readonly byte[]? _suffix;

    public IssuerTemplate(string template)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(template);
        Text = template;
        int at = template.IndexOf(TenantPlaceholder, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            _prefix = Encoding.UTF8.GetBytes(template);
            return;
        }

        if (template.IndexOf(TenantPlaceholder, at + 1, StringComparison.OrdinalIgnoreCase) >= 0)
        {
            throw new FormatException($"The issuer template \"{template}\" holds {TenantPlaceholder} more than once.");
        }

        _prefix = Encoding.UTF8.GetBytes(template[..at]);
        _suffix = Encoding.UTF8.GetBytes(template[(at + TenantPlaceholder.Length)..]);
    }

    public string Text { get; }

    /// <summary>Whether the template needs the token's <c>tid</c>.</summary>
    public bool HasTenant => _suffix is not null;

    /// <summary>Whether <paramref name="issuer"/> is this template, filled with <paramref name="tenant"/>
    /// (empty when the token has no <c>tid</c>, which never fills a template).</summary>
    public bool Matches(ReadOnlySpan<byte> issuer, ReadOnlySpan<byte> tenant)
    {
        if (_suffix is null)
        {
            return issuer.SequenceEqual(_prefix);
        }

        return IsPlainTenant(tenant)
            && issuer.Length == _prefix.Length + tenant.Length + _suffix.Length
            && issuer.StartsWith(_prefix)
            && issuer[_prefix.Length..].StartsWith(tenant)
            && issuer.EndsWith(_suffix);
    }

    public override string ToString() => Text;

    /// <summary>Only a plain identifier fills a template (letters, digits, '-', '_', '.'; Entra's are GUIDs): a
    /// <c>tid</c> with slashes, '?', '#', '%' or spaces could make the template into another path or URL.</summary>
    private static bool IsPlainTenant(ReadOnlySpan<byte> tenant)
    {
        if (tenant.IsEmpty || tenant.Length > 128 || tenant.SequenceEqual("."u8) || tenant.SequenceEqual(".."u8))
        {
            return false;
        }

        foreach (byte b in tenant)
        {
            if (b is not ((>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_' or (byte)'.'))
            {
                return false;
            }
        }

        return true;
    }
}
