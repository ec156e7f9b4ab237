namespace Forgewatch.Tokens.Keys.Crypto;

/// <summary>The DER form of an ECDSA signature (<c>SEQUENCE { INTEGER r, INTEGER s }</c>) from r and s as
/// unsigned big-endian bytes of at most 66 bytes each.</summary>
internal static class EcdsaDer
{
    /// <summary>Writes the encoding into <paramref name="destination"/> (at least 141 bytes) and returns its
    /// length.</summary>
    public static int Encode(ReadOnlySpan<byte> r, ReadOnlySpan<byte> s, Span<byte> destination)
    {
        ReadOnlySpan<byte> rDigits = Minimal(r);
        ReadOnlySpan<byte> sDigits = Minimal(s);
        int content = IntegerLength(rDigits) + IntegerLength(sDigits);
        int at = 0;
        destination[at++] = 0x30;
        if (content > 127)
        {
            destination[at++] = 0x81;
        }

        destination[at++] = (byte)content;
        at += WriteInteger(rDigits, destination[at..]);
        at += WriteInteger(sDigits, destination[at..]);
        return at;
    }

    /// <summary>Without leading zero bytes, but never empty (zero is one zero byte).</summary>
    private static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> value)
    {
        int first = value.IndexOfAnyExcept((byte)0);
        return first < 0 ? [0] : value[first..];
    }

    /// <summary>Tag, length and digits, with a zero byte first when the top bit is set (DER integers are
    /// signed).</summary>
    private static int IntegerLength(ReadOnlySpan<byte> digits) => 2 + digits.Length + (digits[0] >= 0x80 ? 1 : 0);

    private static int WriteInteger(ReadOnlySpan<byte> digits, Span<byte> destination)
    {
        bool pad = digits[0] >= 0x80;
        destination[0] = 0x02;
        destination[1] = (byte)(digits.Length + (pad ? 1 : 0));
        int at = 2;
        if (pad)
        {
            destination[at++] = 0;
        }

        digits.CopyTo(destination[at..]);
        return at + digits.Length;
    }
}
