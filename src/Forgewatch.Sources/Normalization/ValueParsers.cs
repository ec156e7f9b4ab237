using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace Forgewatch.Sources.Normalization;

/// <summary>Parsers for the scalar values vendors send in more than one way.</summary>
internal static class ValueParsers
{
    private static readonly DateTime MinPlausible = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime MaxPlausible = new(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly string[] ExportFormats =
    [
        "M/d/yyyy h:mm:ss tt",
        "M/d/yyyy, h:mm:ss tt",
        "M/d/yyyy, h:mm:ss.fff tt",
        "M/d/yyyy h:mm:ss.fff tt",
        "M/d/yyyy H:mm:ss",
        "M/d/yyyy, H:mm:ss.fff",
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF",
    ];

    /// <summary>
    /// Parses a UTC timestamp: ISO 8601 with or without fraction and zone (no zone means UTC, as UAL
    /// <c>CreationTime</c> is written), or the US-style dates of PowerShell and Log Analytics CSV exports.
    /// Times outside 2000-2099 are refused: no audit log holds them, and a forged one would stretch every
    /// time span.
    /// </summary>
    public static bool TryParseTime(ReadOnlySpan<byte> utf8, out DateTime utc)
    {
        if (!TryParseIso(utf8, out utc))
        {
            if (utf8.IsEmpty || utf8.Length > 64)
            {
                return false;
            }

            Span<char> chars = stackalloc char[64];
            int n = System.Text.Encoding.UTF8.GetChars(utf8, chars);
            if (!TryParseTimeText(chars[..n], out utc))
            {
                return false;
            }
        }

        return utc >= MinPlausible && utc < MaxPlausible;
    }

    private static bool TryParseTimeText(ReadOnlySpan<char> text, out DateTime utc)
    {
        const DateTimeStyles Styles = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces;
        if (DateTime.TryParseExact(text, ExportFormats, CultureInfo.InvariantCulture, Styles, out utc)
            || DateTime.TryParse(text, CultureInfo.InvariantCulture, Styles, out utc))
        {
            utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
            return true;
        }

        return false;
    }

    private static bool TryParseIso(ReadOnlySpan<byte> s, out DateTime utc)
    {
        utc = default;
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
        {
            return false;
        }

        if (!TwoDigits(s, 0, out int c) || !TwoDigits(s, 2, out int y) || !TwoDigits(s, 5, out int month)
            || !TwoDigits(s, 8, out int day) || !TwoDigits(s, 11, out int hour) || !TwoDigits(s, 14, out int minute)
            || !TwoDigits(s, 17, out int second))
        {
            return false;
        }

        int year = (c * 100) + y;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        long ticks = 0;
        int i = 19;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            int digits = 0;
            while (i < s.Length && (uint)(s[i] - '0') <= 9)
            {
                if (digits < 7)
                {
                    ticks = (ticks * 10) + (s[i] - '0');
                }

                digits++;
                i++;
            }

            if (digits == 0)
            {
                return false;
            }

            for (int d = Math.Min(digits, 7); d < 7; d++)
            {
                ticks *= 10;
            }
        }

        var value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks);
        if (i == s.Length || (i == s.Length - 1 && (s[i] == 'Z' || s[i] == 'z')))
        {
            utc = value;
            return true;
        }

        if (s.Length - i == 6 && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':'
            && TwoDigits(s, i + 1, out int oh) && TwoDigits(s, i + 4, out int om) && oh <= 14 && om <= 59)
        {
            var offset = new TimeSpan(oh, om, 0);
            utc = s[i] == '+' ? value - offset : value + offset;
            return true;
        }

        return false;
    }

    private static bool TwoDigits(ReadOnlySpan<byte> s, int at, out int value)
    {
        int a = s[at] - '0';
        int b = s[at + 1] - '0';
        value = (a * 10) + b;
        return (uint)a <= 9 && (uint)b <= 9;
    }

    /// <summary>An integer sent as a number or a string, including <c>"1.0"</c>.</summary>
    public static bool TryParseInt(ReadOnlySpan<byte> utf8, out int value)
    {
        utf8 = utf8.Trim(" \t"u8);
        if (Utf8Parser.TryParse(utf8, out value, out int consumed) && consumed == utf8.Length)
        {
            return true;
        }

        if (Utf8Parser.TryParse(utf8, out double d, out consumed) && consumed == utf8.Length
            && d == Math.Floor(d) && d >= int.MinValue && d <= int.MaxValue)
        {
            value = (int)d;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>A boolean sent as true/false (any case), or 1/0.</summary>
    public static bool TryParseBool(ReadOnlySpan<byte> utf8, out bool value)
    {
        utf8 = utf8.Trim(" \t"u8);
        if (System.Text.Ascii.EqualsIgnoreCase(utf8, "true"u8) || utf8.SequenceEqual("1"u8))
        {
            value = true;
            return true;
        }

        value = false;
        return System.Text.Ascii.EqualsIgnoreCase(utf8, "false"u8) || utf8.SequenceEqual("0"u8);
    }

    /// <summary>
    /// Extracts an IP address from the forms the UAL writes: plain IPv4 or IPv6, IPv4 with a port,
    /// IPv6 in brackets with or without a port, and <c>HOST (address)</c>. IPv4 must be a strict dotted
    /// quad (the BCL also accepts <c>1.2.3</c> and hex parts, which no log means). IPv4-mapped IPv6 is
    /// returned as IPv4 so that one client has one address.
    /// </summary>
    public static IPAddress? ParseClientIp(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        int open = text.LastIndexOf('(');
        if (open > 0 && text.EndsWith(')'))
        {
            text = text[(open + 1)..^1].Trim();
        }

        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']');
            if (close < 0)
            {
                return null;
            }

            ReadOnlySpan<char> inner = text[1..close];
            int innerOpen = inner.LastIndexOf('(');
            text = innerOpen > 0 && inner.EndsWith(')') ? inner[(innerOpen + 1)..^1].Trim() : inner;
        }
        else if (text.IndexOf(':') is int colon && colon > 0 && colon == text.LastIndexOf(':') && text.Contains('.'))
        {
            text = text[..colon];
        }

        if (text.IsEmpty || text.Length > 64)
        {
            return null;
        }

        if (!text.Contains(':'))
        {
            switch (ReadDottedQuad(text, out uint quad))
            {
                case DottedQuad.Invalid:
                    return null;
                case DottedQuad.Plain:
                    // The common case, built directly: IPAddress.TryParse costs several times more.
                    Span<byte> bytes = stackalloc byte[4];
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, quad);
                    return new IPAddress(bytes);
                default:
                    // A leading zero: left to IPAddress, which reads it as octal as Windows does.
                    break;
            }
        }

        if (!IPAddress.TryParse(text, out IPAddress? address))
        {
            return null;
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    private enum DottedQuad
    {
        Invalid,
        Plain,
        LeadingZero,
    }

    /// <summary>
    /// True when <paramref name="utf8"/> is exactly an IPv4 address as <see cref="IPAddress.ToString()"/>
    /// writes it (four decimal octets, no leading zeros, nothing around): the address is then read
    /// straight from the bytes, and the logged text need not be kept, since the address gives it back.
    /// </summary>
    public static bool TryParsePlainIPv4(ReadOnlySpan<byte> utf8, out uint address) =>
        ReadDottedQuad(utf8, out address) == DottedQuad.Plain;

    /// <summary>Four decimal octets of one to three digits, each at most 255 (UTF-16 or UTF-8 text).</summary>
    private static DottedQuad ReadDottedQuad<T>(ReadOnlySpan<T> text, out uint address)
        where T : unmanaged, IBinaryInteger<T>
    {
        address = 0;
        bool leadingZero = false;
        int parts = 0;
        int i = 0;
        while (true)
        {
            int start = i;
            uint octet = 0;
            uint digit;
            while (i < text.Length && (digit = uint.CreateTruncating(text[i]) - '0') <= 9 && i - start < 3)
            {
                octet = (octet * 10) + digit;
                i++;
            }

            if (i == start || octet > 255)
            {
                return DottedQuad.Invalid;
            }

            leadingZero |= uint.CreateTruncating(text[start]) == '0' && i - start > 1;
            address = (address << 8) | octet;
            parts++;
            if (i == text.Length)
            {
                break;
            }

            if (uint.CreateTruncating(text[i]) != '.' || parts == 4)
            {
                return DottedQuad.Invalid;
            }

            i++;
        }

        return parts != 4 ? DottedQuad.Invalid : leadingZero ? DottedQuad.LeadingZero : DottedQuad.Plain;
    }
}
