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
        // Length 1 mod 4 cannot be produced by any byte string.
        if (text.Length % 4 == 1)
        {
            return null;
        }

        foreach (byte c in text)
        {
            if (!IsAlphabet(c))
            {
                return null;
            }
        }

        byte[] decoded = new byte[Base64Url.DecodedLength(text.Length)];
        OperationStatus status = System.Buffers.Text.Base64Url.DecodeFromUtf8(text, decoded, out int consumed, out int written);
        if (status != OperationStatus.Done || consumed != text.Length || written != decoded.Length)
        {
            return null;
        }

        // Canonical: the last character carries no bits beyond the data (re-encoding gives the same text).
        Span<byte> again = text.Length <= 1024 ? stackalloc byte[text.Length] : new byte[text.Length];
        System.Buffers.Text.Base64Url.EncodeToUtf8(decoded, again, out _, out int encoded);
        return encoded == text.Length && again[..encoded].SequenceEqual(text) ? decoded : null;
    }

    /// <summary>Bytes that <paramref name="length"/> characters of unpadded base64url decode to.</summary>
    public static int DecodedLength(int length) => (length / 4 * 3) + ((length % 4) switch { 2 => 1, 3 => 2, _ => 0 });

    private static bool IsAlphabet(byte c) => c is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_';
}
