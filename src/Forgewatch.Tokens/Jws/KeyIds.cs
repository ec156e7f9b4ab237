namespace Forgewatch.Tokens.Jws;

/// <summary>What a <c>kid</c> may be. It is looked up, logged and shown, so path separators, parent
/// references, quotes, control characters and great length are refused, in tokens and in key sets alike.</summary>
internal static class KeyIds
{
    /// <summary>Why <paramref name="kid"/> (UTF-8) is not a plain identifier, or <c>null</c>.</summary>
    public static string? Problem(ReadOnlySpan<byte> kid, int maxLength)
    {
        if (kid.Length == 0)
        {
            return "is empty";
        }

        if (kid.Length > maxLength)
        {
            return $"is {kid.Length:N0} bytes long (limit {maxLength:N0})";
        }

        for (int i = 0; i < kid.Length; i++)
        {
            byte b = kid[i];
            bool c1Control = b == 0xC2 && i + 1 < kid.Length && kid[i + 1] is >= 0x80 and <= 0x9F;
            if (b < 0x20 || b == 0x7F || c1Control || b is (byte)'"' or (byte)'\'' or (byte)'/' or (byte)'\\' or (byte)'`' or (byte)'<' or (byte)'>')
            {
                return "holds quotes, slashes, angle brackets or control characters";
            }
        }

        return kid.IndexOf(".."u8) >= 0 ? "holds a parent reference (\"..\")" : null;
    }
}
