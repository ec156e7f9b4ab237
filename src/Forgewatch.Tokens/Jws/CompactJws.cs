using System.Text;
using System.Text.Json;
using Forgewatch.Tokens.Parsing;
using Forgewatch.Tokens.Verdicts;

namespace Forgewatch.Tokens.Jws;

/// <summary>
/// A JWS in compact form (<c>header.payload.signature</c>), taken apart and checked for everything that can be
/// judged without a key: size, canonical base64url, a header that is one JSON object with no repeated member,
/// an algorithm that is supported and not <c>none</c>, no key named or embedded in the header, a plain
/// <c>kid</c>, and no <c>crit</c> extension. The payload is not read here: at this layer it is any bytes.
/// Nothing is allocated for a token that passes; every refusal is a verdict with a stable reason.
/// </summary>
internal static class CompactJws
{
    /// <summary>Bytes of buffer <see cref="TryParse"/> needs for a token of <paramref name="tokenLength"/>
    /// characters: its ASCII copy, its decoded parts, and scratch space for unescaping twice over.</summary>
    public static int BufferSize(int tokenLength) => (tokenLength * 4) + 64;

    /// <summary>Takes <paramref name="token"/> apart into <paramref name="buffer"/> (at least
    /// <see cref="BufferSize"/> bytes); returns the refusal, or <c>null</c> with <paramref name="parts"/> set.</summary>
    public static TokenVerdict? TryParse(ReadOnlySpan<char> token, TokenLimits limits, Span<byte> buffer, out JwsParts parts)
    {
        parts = default;
        if (token.Length > limits.MaxTokenLength)
        {
            return TokenVerdict.Invalid(Reasons.TooLarge, $"The token is {token.Length:N0} characters long; the limit is {limits.MaxTokenLength:N0}.");
        }

        if (!Ascii.IsValid(token))
        {
            return TokenVerdict.Invalid(Reasons.BadBase64Url, "The token holds characters outside base64url and its dots.");
        }

        Span<byte> ascii = buffer[..token.Length];
        Encoding.ASCII.GetBytes(token, ascii);
        int first = ascii.IndexOf((byte)'.');
        int second = first < 0 ? -1 : ascii[(first + 1)..].IndexOf((byte)'.');
        if (second >= 0)
        {
            second += first + 1;
        }

        if (first < 0 || second < 0 || ascii[(second + 1)..].Contains((byte)'.'))
        {
            return TokenVerdict.Invalid(Reasons.NotCompactJws, "The token is not three parts separated by two dots (header.payload.signature).");
        }

        Span<byte> decoded = buffer[token.Length..];
        int used = 0;
        if (Decode(ascii[..first], decoded, ref used, "header") is { } badHeader)
        {
            return badHeader;
        }

        if (Decode(ascii[(first + 1)..second], decoded, ref used, "payload") is { } badPayload)
        {
            return badPayload;
        }

        if (Decode(ascii[(second + 1)..], decoded, ref used, "signature") is { } badSignature)
        {
            return badSignature;
        }

        int headerLength = Base64Url.DecodedLength(first);
        int payloadLength = Base64Url.DecodedLength(second - first - 1);
        parts.SigningInput = ascii[..second];
        parts.Header = decoded[..headerLength];
        parts.Payload = decoded.Slice(headerLength, payloadLength);
        parts.Signature = decoded[(headerLength + payloadLength)..used];
        parts.Scratch = decoded[used..];
        return ReadHeader(ref parts, limits);
    }

    private static TokenVerdict? Decode(ReadOnlySpan<byte> text, Span<byte> into, ref int used, string part)
    {
        if (!Base64Url.TryDecode(text, into[used..], out int length))
        {
            return TokenVerdict.Invalid(Reasons.BadBase64Url, $"The {part} is not canonical base64url (no padding, whitespace, '+' or '/', no stray bits).");
        }

        used += length;
        return null;
    }

    private static TokenVerdict? ReadHeader(ref JwsParts parts, TokenLimits limits)
    {
        Span<JsonSlot> slots = stackalloc JsonSlot[HeaderNames.Count];
        if (StrictJsonScanner.Scan<HeaderNames>(parts.Header, limits.MaxJsonDepth, parts.Scratch, slots) is { } problem)
        {
            return TokenVerdict.Invalid(Reasons.BadJson, $"The header is {problem}.");
        }

        ReadOnlySpan<byte> header = parts.Header;
        ReadOnlySpan<byte> scratch = parts.Scratch;
        JsonSlot alg = slots[HeaderNames.Alg];
        if (alg.Type != JsonTokenType.String)
        {
            return TokenVerdict.Invalid(Reasons.BadAlgorithm, "The header has no \"alg\" string.");
        }

        ReadOnlySpan<byte> algName = alg.Value(header, scratch);
        if (!JwsAlgorithms.TryParse(algName, out parts.Algorithm))
        {
            string name = Encoding.UTF8.GetString(algName);
            return name.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)
                ? TokenVerdict.Invalid(Reasons.AlgorithmNone, "The header asks for no signature (\"alg\": \"none\"); unsigned tokens are never accepted.")
                : TokenVerdict.Invalid(Reasons.BadAlgorithm, $"The algorithm \"{ShownText.Of(name)}\" is not supported.");
        }

        for (int carrier = HeaderNames.Jwk; carrier <= HeaderNames.X5c; carrier++)
        {
            if (slots[carrier].Found)
            {
                return TokenVerdict.Invalid(Reasons.EmbeddedKey, $"The header brings its own key (\"{HeaderNames.Carriers[carrier - HeaderNames.Jwk]}\"); keys come only from the verifier's key sets.");
            }
        }

        if (slots[HeaderNames.Crit].Found)
        {
            string listed = Encoding.UTF8.GetString(slots[HeaderNames.Crit].Value(header, scratch));
            return TokenVerdict.Invalid(Reasons.UnknownCritical, $"The header marks extensions as critical (\"crit\": {ShownText.Of(listed)}) that this verifier does not understand.");
        }

        if (slots[HeaderNames.Kid].Found)
        {
            if (slots[HeaderNames.Kid].Type != JsonTokenType.String)
            {
                return TokenVerdict.Invalid(Reasons.BadKeyId, "The header's \"kid\" is not a string.");
            }

            parts.KeyId = slots[HeaderNames.Kid].Value(header, scratch);
            if (KeyIds.Problem(parts.KeyId, limits.MaxKeyIdLength) is { } kidProblem)
            {
                return TokenVerdict.Invalid(Reasons.BadKeyId, $"The header's \"kid\" {kidProblem}.");
            }
        }

        if (slots[HeaderNames.X5t].Found)
        {
            if (slots[HeaderNames.X5t].Type != JsonTokenType.String || slots[HeaderNames.X5t].Length is 0 or > 64)
            {
                return TokenVerdict.Invalid(Reasons.BadKeyId, "The header's \"x5t\" is not a certificate thumbprint.");
            }

            parts.Thumbprint = slots[HeaderNames.X5t].Value(header, scratch);
        }

        if (slots[HeaderNames.Typ].Found)
        {
            if (slots[HeaderNames.Typ].Type != JsonTokenType.String)
            {
                return TokenVerdict.Invalid(Reasons.BadJson, "The header's \"typ\" is not a string.");
            }

            parts.Type = slots[HeaderNames.Typ].Value(header, scratch);
        }

        // The payload scan may use all the scratch space again: nothing above points into it any longer...
        // except kid, x5t and typ when they had escapes, so they are moved out of its way.
        int keep = 0;
        foreach (int kept in (ReadOnlySpan<int>)[HeaderNames.Kid, HeaderNames.X5t, HeaderNames.Typ])
        {
            if (slots[kept].InScratch)
            {
                keep = Math.Max(keep, slots[kept].Start + slots[kept].Length);
            }
        }

        parts.Scratch = parts.Scratch[keep..];
        return null;
    }

    /// <summary>The header members the parse looks at.</summary>
    private readonly struct HeaderNames : IMemberNames
    {
        public const int Alg = 0;
        public const int Kid = 1;
        public const int Typ = 2;
        public const int Crit = 3;
        public const int X5t = 4;
        public const int Jwk = 5;
        public const int X5c = 8;

        public static readonly string[] Carriers = ["jwk", "jku", "x5u", "x5c"];

        public static int Count => 9;

        public static int IndexOf(ReadOnlySpan<byte> name) => name switch
        {
            _ when name.SequenceEqual("alg"u8) => Alg,
            _ when name.SequenceEqual("kid"u8) => Kid,
            _ when name.SequenceEqual("typ"u8) => Typ,
            _ when name.SequenceEqual("crit"u8) => Crit,
            _ when name.SequenceEqual("x5t"u8) => X5t,
            _ when name.SequenceEqual("jwk"u8) => Jwk,
            _ when name.SequenceEqual("jku"u8) => Jwk + 1,
            _ when name.SequenceEqual("x5u"u8) => Jwk + 2,
            _ when name.SequenceEqual("x5c"u8) => X5c,
            _ => -1,
        };
    }
}
