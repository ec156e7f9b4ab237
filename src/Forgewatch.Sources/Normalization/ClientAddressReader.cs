using System.Net;

namespace Forgewatch.Sources.Normalization;

/// <summary>
/// Reads a record's client address: the first of several members that holds an address, with the text
/// as logged kept beside it. Remembers the addresses it parsed (a tenant's users come from a limited set
/// of addresses, and consecutive records mostly from the same one), so that each is parsed and allocated
/// once. One per worker.
/// </summary>
internal sealed class ClientAddressReader
{
    private const int MaxIpTextLength = 128;

    /// <summary>Addresses remembered before the cache starts over.</summary>
    private const int MaxRemembered = 8192;

    private readonly Dictionary<string, IPAddress?> _parsed = new(StringComparer.Ordinal);
    private string? _lastIpText;
    private IPAddress? _lastIp;

    public (IPAddress? Ip, string? Text) Read(RecordFields f, Field a, Field b, Field c, Field d)
    {
        string? firstText = null;
        foreach (Field field in (ReadOnlySpan<Field>)[a, b, c, d])
        {
            if (field == Field.None || f.GetString(field) is not { Length: > 0 } text)
            {
                continue;
            }

            if (text.Length > MaxIpTextLength)
            {
                text = text[..MaxIpTextLength];
            }

            firstText ??= text;
            if (ReferenceEquals(text, _lastIpText))
            {
                // Field values repeat by reference (see RecordFields): the address parsed last time holds.
                return (_lastIp, text);
            }

            if (!_parsed.TryGetValue(text, out IPAddress? ip))
            {
                if (_parsed.Count >= MaxRemembered)
                {
                    _parsed.Clear();
                }

                ip = ValueParsers.ParseClientIp(text);
                _parsed[text] = ip;
            }

            if (ip is not null)
            {
                _lastIpText = text;
                _lastIp = ip;
                return (ip, text);
            }
        }

        return (null, firstText);
    }
}
