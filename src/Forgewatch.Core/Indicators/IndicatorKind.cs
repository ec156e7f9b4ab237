namespace Forgewatch.Core.Indicators;

/// <summary>What an indicator of compromise names.</summary>
public enum IndicatorKind
{
    /// <summary>One IPv4 or IPv6 address.</summary>
    IpAddress,

    /// <summary>A range of addresses in CIDR notation (<c>203.0.113.0/24</c>, <c>2001:db8::/32</c>).</summary>
    IpNetwork,

    /// <summary>A user agent or client string, matched whole (ignoring case and surrounding spaces).</summary>
    UserAgent,

    /// <summary>A product token (<c>Chrome/92.0.4515.159</c>) that a user agent holds as a whole token.</summary>
    UserAgentToken,

    /// <summary>An Entra application (client) id.</summary>
    AppId,

    /// <summary>A token signing key, by JWT <c>kid</c>/<c>x5t</c> or certificate thumbprint.</summary>
    KeyId,
}
