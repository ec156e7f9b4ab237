using System.Buffers;

namespace Forgewatch.Tokens.Parsing;

/// <summary>
/// Canonical base64url as JWS uses it (RFC 7515, section 2): the URL-safe alphabet, no padding, no
/// whitespace, and no stray bits in the last character. A token whose parts can be written two ways
/// could carry one meaning past a check and another past the next, so anything but the one canonical
/// form is refused.
/// </summary>
public static class Base64Url
{
    /// <summary>Decodes <paramref name="text"/> (ASCII) if it is canonical base64url; otherwise returns
    /// <c>null</c>.</summary>
    public static byte[]? Decode(ReadOnlySpan<byte> text)
    {
        byte[] decoded = new byte[DecodedLength(text.Length)];
        return TryDecode(text, decoded, out int written) && written == decoded.Length ? decoded : null;
    }

    /// <summary>Decodes <paramref name="text"/> (ASCII) into <paramref name="into"/> if it is canonical
    /// base64url and fits; <paramref name="written"/> is the decoded length.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> text, Span<byte> into, out int written)
    {
        written = 0;

        // Length 1 mod 4 cannot be produced by any byte string.
        if (text.Length % 4 == 1 || into.Length < DecodedLength(text.Length))
        {
            return false;
        }

        // Only the alphabet: the decoder would skip whitespace and accept padding.
        if (text.IndexOfAnyExcept(Alphabet) >= 0)
        {
            return false;
        }

        OperationStatus status = System.Buffers.Text.Base64Url.DecodeFromUtf8(text, into, out int consumed, out written);
        if (status != OperationStatus.Done || consumed != text.Length)
        {
            return false;
        }

        // Canonical: the last character carries no bits beyond the data.
        return text.Length % 4 == 0 || (LastValue(text[^1]) & (text.Length % 4 == 2 ? 0x0F : 0x03)) == 0;
    }

    /// <summary>Bytes that <paramref name="length"/> characters of unpadded base64url decode to.</summary>
    public static int DecodedLength(int length) => (length / 4 * 3) + ((length % 4) switch { 2 => 1, 3 => 2, _ => 0 });

    private static readonly SearchValues<byte> Alphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"u8);

    private static int LastValue(byte c) => c switch
    {
        >= (byte)'A' and <= (byte)'Z' => c - 'A',
        >= (byte)'a' and <= (byte)'z' => c - 'a' + 26,
        >= (byte)'0' and <= (byte)'9' => c - '0' + 52,
        (byte)'-' => 62,
        _ => 63,
    };
}
