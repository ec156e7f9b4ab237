using System.Net;
using System.Net.Sockets;

namespace Forgewatch.Core.Indicators;

/// <summary>
/// Indicators of compromise by kind, for matching event values: addresses and CIDR ranges (IPv4 and IPv6;
/// an IPv4-mapped IPv6 address is the IPv4 address), user agents (whole, ignoring case and surrounding
/// spaces) and product tokens within them, application ids (ignoring case) and signing keys (a JWT
/// <c>kid</c>/<c>x5t</c> exactly, a hexadecimal thumbprint ignoring case). Add while building; once built
/// it is only read, and safe to share between threads.
/// </summary>
public sealed class IndicatorSet
{
    private const int MaxValueLength = 1024;

    private readonly List<Indicator> _all = [];
    private readonly Dictionary<IPAddress, Indicator> _addresses = [];
    private readonly List<(IPNetwork Network, Indicator Indicator)> _networks = [];
    private readonly Dictionary<string, Indicator> _userAgents = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Indicator> _userAgentTokens = [];
    private readonly Dictionary<string, Indicator> _appIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Indicator> _keyIds = new(StringComparer.Ordinal);

    /// <summary>Every indicator added, in order.</summary>
    public IReadOnlyList<Indicator> All => _all;

    public int Count => _all.Count;

    /// <summary>True when some indicator is a token signing key id.</summary>
    public bool HasKeyIds => _keyIds.Count > 0;

    /// <summary>Adds <paramref name="indicator"/>, or says why its value is not one of its kind. A value
    /// already present is kept once: the first source wins, and the later one is valid but not added.</summary>
    public bool TryAdd(Indicator indicator, out string? error)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        string value = indicator.Value.Trim();
        error = value.Length == 0 ? "the value is empty"
            : value.Length > MaxValueLength ? $"the value is longer than {MaxValueLength} characters"
            : null;
        if (error is not null)
        {
            return false;
        }

        bool isNew = false;
        bool valid = indicator.Kind switch
        {
            IndicatorKind.IpAddress => AddAddress(value, indicator, ref isNew, out error),
            IndicatorKind.IpNetwork => AddNetwork(value, indicator, ref isNew, out error),
            IndicatorKind.UserAgent => Keep(_userAgents.TryAdd(value, indicator), ref isNew, out error),
            IndicatorKind.UserAgentToken => AddUserAgentToken(value, indicator, ref isNew, out error),
            IndicatorKind.AppId => AddAppId(value, indicator, ref isNew, out error),
            IndicatorKind.KeyId => Keep(_keyIds.TryAdd(KeyIdKey(value), indicator), ref isNew, out error),
            _ => Fail($"unknown kind {indicator.Kind}", out error),
        };
        if (isNew)
        {
            _all.Add(indicator);
        }

        return valid;
    }

    /// <summary>Adds an indicator that must be valid (the built-in sets).</summary>
    public void Add(Indicator indicator)
    {
        if (!TryAdd(indicator, out string? error))
        {
            throw new ArgumentException($"Not a valid {indicator.Kind} indicator ({error}): {indicator.Value}", nameof(indicator));
        }
    }

    /// <summary>The indicator naming <paramref name="address"/> or a range holding it; null when none does.</summary>
    public Indicator? MatchIp(IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        address = Canonical(address);
        if (_addresses.TryGetValue(address, out Indicator? exact))
        {
            return exact;
        }

        foreach ((IPNetwork network, Indicator indicator) in _networks)
        {
            if (network.Contains(address))
            {
                return indicator;
            }
        }

        return null;
    }

    /// <summary>The indicator naming <paramref name="userAgent"/> whole, or a product token it holds.</summary>
    public Indicator? MatchUserAgent(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return null;
        }

        string trimmed = userAgent.Trim();
        if (_userAgents.TryGetValue(trimmed, out Indicator? whole))
        {
            return whole;
        }

        foreach (Indicator token in _userAgentTokens)
        {
            if (HoldsToken(trimmed, token.Value.Trim()))
            {
                return token;
            }
        }

        return null;
    }

    public Indicator? MatchAppId(string? appId) =>
        appId is not null && _appIds.TryGetValue(appId.Trim(), out Indicator? indicator) ? indicator : null;

    public Indicator? MatchKeyId(string? keyId) =>
        keyId is not null && _keyIds.TryGetValue(KeyIdKey(keyId.Trim()), out Indicator? indicator) ? indicator : null;

    private bool AddAddress(string value, Indicator indicator, ref bool isNew, out string? error)
    {
        if (!IPAddress.TryParse(value, out IPAddress? address) || (address.AddressFamily == AddressFamily.InterNetwork && !IsDottedQuad(value)))
        {
            return Fail("not an IPv4 or IPv6 address", out error);
        }

        return Keep(_addresses.TryAdd(Canonical(address), indicator), ref isNew, out error);
    }

    private bool AddNetwork(string value, Indicator indicator, ref bool isNew, out string? error)
    {
        // A range with bits set after its prefix (198.51.100.7/24) is refused rather than widened: it is a
        // typo for an address or for another range, and either guess could match the wrong traffic.
        int slash = value.IndexOf('/', StringComparison.Ordinal);
        if (!IPNetwork.TryParse(value, out IPNetwork network) || slash < 0
            || !IPAddress.TryParse(value.AsSpan(0, slash), out IPAddress? written) || !written.Equals(network.BaseAddress))
        {
            return Fail("not a CIDR range (address/prefix, with no bits set after the prefix)", out error);
        }

        bool fresh = !_networks.Exists(n => n.Network.Equals(network));
        if (fresh)
        {
            _networks.Add((network, indicator));
        }

        return Keep(fresh, ref isNew, out error);
    }

    private bool AddUserAgentToken(string value, Indicator indicator, ref bool isNew, out string? error)
    {
        if (value.Contains(' ', StringComparison.Ordinal) || !value.Contains('/', StringComparison.Ordinal))
        {
            return Fail("a product token is Name/version, without spaces", out error);
        }

        bool fresh = !_userAgentTokens.Exists(t => t.Value.Trim().Equals(value, StringComparison.OrdinalIgnoreCase));
        if (fresh)
        {
            _userAgentTokens.Add(indicator);
        }

        return Keep(fresh, ref isNew, out error);
    }

    private bool AddAppId(string value, Indicator indicator, ref bool isNew, out string? error)
    {
        if (!Guid.TryParseExact(value, "D", out _))
        {
            return Fail("not an application id (a GUID with hyphens)", out error);
        }

        return Keep(_appIds.TryAdd(value, indicator), ref isNew, out error);
    }

    /// <summary>A valid value: <paramref name="fresh"/> says whether it was not there before.</summary>
    private static bool Keep(bool fresh, ref bool isNew, out string? error)
    {
        isNew = fresh;
        error = null;
        return true;
    }

    private static bool Fail(string reason, out string? error)
    {
        error = reason;
        return false;
    }

    /// <summary>A 40-digit hexadecimal thumbprint in lower case; any other key id exactly as given.</summary>
    private static string KeyIdKey(string value) =>
        value.Length == 40 && value.All(char.IsAsciiHexDigit) ? value.ToLowerInvariant() : value;

    private static IPAddress Canonical(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>IPAddress also reads <c>1.2</c> and hex parts as IPv4; an indicator is a dotted quad.</summary>
    private static bool IsDottedQuad(string value) => value.Count(c => c == '.') == 3 && value.All(c => char.IsAsciiDigit(c) || c == '.');

    /// <summary>True when <paramref name="token"/> stands in <paramref name="userAgent"/> as a whole token:
    /// not preceded or followed by more of a name or version.</summary>
    private static bool HoldsToken(string userAgent, string token)
    {
        int from = 0;
        while (from <= userAgent.Length - token.Length)
        {
            int at = userAgent.IndexOf(token, from, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return false;
            }

            int end = at + token.Length;
            bool startsToken = at == 0 || !IsTokenChar(userAgent[at - 1]);
            bool endsToken = end == userAgent.Length || !IsTokenChar(userAgent[end]);
            if (startsToken && endsToken)
            {
                return true;
            }

            from = at + 1;
        }

        return false;
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '/' or '_' or '-';
}
