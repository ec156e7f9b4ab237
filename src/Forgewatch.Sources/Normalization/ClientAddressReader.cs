using System.Net;

namespace Forgewatch.Sources.Normalization;

/// <summary>
/// Reads a record's client address: the first of several members that holds an address, with the text
/// as logged kept beside it. Remembers the last address parsed, since consecutive records mostly come
/// from the same client. One per worker.
/// </summary>
internal sealed class ClientAddressReader
{
    private const int MaxIpTextLength = 128;
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

            if (ValueParsers.ParseClientIp(text) is { } ip)
            {
                _lastIpText = text;
                _lastIp = ip;
                return (ip, text);
            }
        }

        return (null, firstText);
    }
}
