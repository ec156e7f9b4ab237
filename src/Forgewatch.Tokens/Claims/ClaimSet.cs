using System.Buffers.Text;
using System.Text.Json;
using Forgewatch.Tokens.Parsing;
using Forgewatch.Tokens.Verdicts;

namespace Forgewatch.Tokens.Claims;

/// <summary>The registered claims a verdict needs, read from a JWT payload in one strict pass (no repeated
/// member anywhere, depth limit) as spans over the token's buffer: nothing is allocated.</summary>
internal ref struct ClaimSet
{
    /// <summary>The latest NumericDate accepted: 9999-12-31T23:59:59Z.</summary>
    private const long MaxNumericDate = 253402300799;

    public ReadOnlySpan<byte> Issuer;
    public ReadOnlySpan<byte> Tenant;
    public ReadOnlySpan<byte> Subject;
    public ReadOnlySpan<byte> Application;
    public long? Expires;
    public long? NotBefore;
    public long? IssuedAt;
    private ReadOnlySpan<byte> _payload;
    private ReadOnlySpan<byte> _scratch;
    private JsonSlot _audience;

    public readonly bool HasAudience => _audience.Found;

    /// <summary>Reads <paramref name="payload"/>; returns the refusal, or <c>null</c> with
    /// <paramref name="claims"/> set. <paramref name="scratch"/> must be twice the payload's length.</summary>
    public static TokenVerdict? Read(ReadOnlySpan<byte> payload, Span<byte> scratch, int maxDepth, out ClaimSet claims)
    {
        claims = default;
        Span<JsonSlot> slots = stackalloc JsonSlot[ClaimNames.Count];
        if (StrictJsonScanner.Scan<ClaimNames>(payload, maxDepth, scratch, slots) is { } problem)
        {
            return TokenVerdict.Invalid(Reasons.BadJson, $"The payload is {problem}.");
        }

        claims._payload = payload;
        claims._scratch = scratch;
        if (!String(slots[ClaimNames.Iss], payload, scratch, out claims.Issuer) || claims.Issuer.IsEmpty)
        {
            return slots[ClaimNames.Iss].Found
                ? TokenVerdict.Invalid(Reasons.BadClaim, "The token's \"iss\" is not a non-empty string.")
                : TokenVerdict.Invalid(Reasons.MissingClaim, "The token has no issuer (\"iss\").");
        }

        foreach ((int slot, string name) in (ReadOnlySpan<(int, string)>)[(ClaimNames.Tid, "tid"), (ClaimNames.Sub, "sub"), (ClaimNames.Azp, "azp"), (ClaimNames.AppId, "appid")])
        {
            if (slots[slot].Found && slots[slot].Type != JsonTokenType.String)
            {
                return TokenVerdict.Invalid(Reasons.BadClaim, $"The token's \"{name}\" is not a string.");
            }
        }

        String(slots[ClaimNames.Tid], payload, scratch, out claims.Tenant);
        String(slots[ClaimNames.Sub], payload, scratch, out claims.Subject);
        if (!String(slots[ClaimNames.Azp], payload, scratch, out claims.Application))
        {
            String(slots[ClaimNames.AppId], payload, scratch, out claims.Application);
        }

        TokenVerdict? badDate = Date(slots[ClaimNames.Exp], payload, "exp", out claims.Expires)
            ?? Date(slots[ClaimNames.Nbf], payload, "nbf", out claims.NotBefore)
            ?? Date(slots[ClaimNames.Iat], payload, "iat", out claims.IssuedAt);
        if (badDate is not null)
        {
            return badDate;
        }

        JsonSlot audience = slots[ClaimNames.Aud];
        if (audience.Found && audience.Type is not (JsonTokenType.String or JsonTokenType.StartArray))
        {
            return TokenVerdict.Invalid(Reasons.BadClaim, "The token's \"aud\" is neither a string nor a list of strings.");
        }

        claims._audience = audience;
        AudienceReader audiences = claims.Audiences(scratch[payload.Length..]);
        bool malformed;
        while (audiences.Next(out _, out malformed))
        {
        }

        return malformed ? TokenVerdict.Invalid(Reasons.BadClaim, "The token's \"aud\" list holds something other than strings.") : null;
    }

    /// <summary>The audiences, one by one. <paramref name="buffer"/> holds an escaped one while it is current.</summary>
    public readonly AudienceReader Audiences(Span<byte> buffer) => new(_audience, _payload, _scratch, buffer);

    private static bool String(JsonSlot slot, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> scratch, out ReadOnlySpan<byte> value)
    {
        value = slot.Type == JsonTokenType.String ? slot.Value(payload, scratch) : default;
        return slot.Type == JsonTokenType.String;
    }

    private static TokenVerdict? Date(JsonSlot slot, ReadOnlySpan<byte> payload, string name, out long? seconds)
    {
        seconds = null;
        if (!slot.Found)
        {
            return null;
        }

        ReadOnlySpan<byte> text = slot.Value(payload, default);
        if (slot.Type == JsonTokenType.Number)
        {
            if (Utf8Parser.TryParse(text, out long whole, out int used) && used == text.Length && whole is >= 0 and <= MaxNumericDate)
            {
                seconds = whole;
                return null;
            }

            if (Utf8Parser.TryParse(text, out double real, out used, 'G') && used == text.Length && real is >= 0 and <= MaxNumericDate)
            {
                seconds = (long)Math.Floor(real);
                return null;
            }
        }

        return TokenVerdict.Invalid(Reasons.BadClaim, $"The token's \"{name}\" is not a date in seconds since 1970 between 1970 and 9999.");
    }

    /// <summary>The wanted claims.</summary>
    private readonly struct ClaimNames : IMemberNames
    {
        public const int Iss = 0;
        public const int Aud = 1;
        public const int Tid = 2;
        public const int Exp = 3;
        public const int Nbf = 4;
        public const int Iat = 5;
        public const int Sub = 6;
        public const int Azp = 7;
        public const int AppId = 8;

        public static int Count => 9;

        public static int IndexOf(ReadOnlySpan<byte> name) => name.Length switch
        {
            3 when name.SequenceEqual("iss"u8) => Iss,
            3 when name.SequenceEqual("aud"u8) => Aud,
            3 when name.SequenceEqual("tid"u8) => Tid,
            3 when name.SequenceEqual("exp"u8) => Exp,
            3 when name.SequenceEqual("nbf"u8) => Nbf,
            3 when name.SequenceEqual("iat"u8) => Iat,
            3 when name.SequenceEqual("sub"u8) => Sub,
            3 when name.SequenceEqual("azp"u8) => Azp,
            5 when name.SequenceEqual("appid"u8) => AppId,
            _ => -1,
        };
    }
}
