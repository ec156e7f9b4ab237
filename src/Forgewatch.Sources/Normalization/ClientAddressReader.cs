using System.Net;

namespace Forgewatch.Sources.Normalization;

/// <summary>
/// Reads a record's client address: the first of several members that holds an address, with the text
/// as logged kept beside it, except for a plain dotted quad, which its address gives back. Remembers the
/// last address parsed, since consecutive records mostly come from the same client. One per worker.
/// </summary>
internal sealed class ClientAddressReader
{
    private const int MaxIpTextLength = 128;
    private string? _lastIpText;
    private IPAddress? _lastIp;
    private IPAddress? _lastV4;
    private uint _lastV4Value;

    public (IPAddress? Ip, string? Text) Read(RecordFields f, Field a, Field b, Field c, Field d)
    {
        string? firstText = null;
        foreach (Field field in (ReadOnlySpan<Field>)[a, b, c, d])
        {
            if (field == Field.None)
            {
                continue;
            }

            if (f.TryGetPlainText(field, out ReadOnlySpan<byte> utf8) && ValueParsers.TryParsePlainIPv4(utf8, out uint v4))
            {
                // Written as the address writes itself: no text is kept (the event makes it from the address).
                return (V4(v4), null);
            }

            if (f.GetString(field) is not { Length: > 0 } text)
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

    private IPAddress V4(uint address)
    {
        if (_lastV4 is null || address != _lastV4Value)
        {
            _lastV4 = new IPAddress(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(address));
            _lastV4Value = address;
        }

        return _lastV4;
    }
}
