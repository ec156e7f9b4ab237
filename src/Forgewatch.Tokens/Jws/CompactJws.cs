using System.Text;
using System.Text.Json;
using Forgewatch.Tokens.Parsing;
using Forgewatch.Tokens.Verdicts;

namespace Forgewatch.Tokens.Jws;

/// <summary>
/// A JWS in compact form (<c>header.payload.signature</c>), taken apart and checked for everything that can be
/// judged without a key: size, canonical base64url, one JSON object each for header and payload with no
/// repeated member, an algorithm that is supported and not <c>none</c>, no key named or embedded in the
/// header, a plain <c>kid</c>, and no <c>crit</c> extension. The algorithm read here is only what the token
/// claims: the verifier takes the algorithm from the key and refuses a token that claims another.
/// </summary>
public sealed class CompactJws : IDisposable
{
    /// <summary>Header members through which a token brings its own key; never trusted.</summary>
    private static readonly string[] KeyCarriers = ["jwk", "jku", "x5u", "x5c"];

    private CompactJws(JsonDocument header, JsonDocument payload, byte[] signature, byte[] signingInput, string algorithm, string? keyId, string? type)
    {
        Header = header;
        Payload = payload;
        Signature = signature;
        SigningInput = signingInput;
        Algorithm = algorithm;
        KeyId = keyId;
        Type = type;
    }

    public JsonDocument Header { get; }

    public JsonDocument Payload { get; }

    public byte[] Signature { get; }

    /// <summary>The ASCII bytes the signature covers: <c>header.payload</c> as they appear in the token.</summary>
    public byte[] SigningInput { get; }

    /// <summary>The <c>alg</c> the token claims.</summary>
    public string Algorithm { get; }

    public string? KeyId { get; }

    /// <summary>The header's <c>typ</c>, if any.</summary>
    public string? Type { get; }

    /// <summary>The token taken apart, or <c>null</c> with the verdict that refuses it.</summary>
    public static CompactJws? Parse(string token, TokenLimits limits, out TokenVerdict? refusal)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(limits);
        refusal = null;
        if (token.Length > limits.MaxTokenLength)
        {
            refusal = TokenVerdict.Invalid(Reasons.TooLarge, $"The token is {token.Length:N0} characters long; the limit is {limits.MaxTokenLength:N0}.");
            return null;
        }

        if (!Ascii.IsValid(token))
        {
            refusal = TokenVerdict.Invalid(Reasons.BadBase64Url, "The token holds characters outside base64url and its dots.");
            return null;
        }

        byte[] ascii = Encoding.ASCII.GetBytes(token);
        int first = Array.IndexOf(ascii, (byte)'.');
        int second = first < 0 ? -1 : Array.IndexOf(ascii, (byte)'.', first + 1);
        if (first < 0 || second < 0 || Array.IndexOf(ascii, (byte)'.', second + 1) >= 0)
        {
            refusal = TokenVerdict.Invalid(Reasons.NotCompactJws, "The token is not three parts separated by two dots (header.payload.signature).");
            return null;
        }

        byte[]? headerBytes = Base64Url.Decode(ascii.AsSpan(0, first));
        byte[]? payloadBytes = Base64Url.Decode(ascii.AsSpan(first + 1, second - first - 1));
        byte[]? signature = Base64Url.Decode(ascii.AsSpan(second + 1));
        string? badPart = headerBytes is null ? "header" : payloadBytes is null ? "payload" : signature is null ? "signature" : null;
        if (badPart is not null)
        {
            refusal = TokenVerdict.Invalid(Reasons.BadBase64Url, $"The {badPart} is not canonical base64url (no padding, whitespace, '+' or '/', no stray bits).");
            return null;
        }

        JsonDocument? header = StrictJson.ParseObject(headerBytes, out string headerProblem, limits.MaxJsonDepth);
        if (header is null)
        {
            refusal = TokenVerdict.Invalid(Reasons.BadJson, $"The header is {headerProblem}.");
            return null;
        }

        JsonDocument? payload = StrictJson.ParseObject(payloadBytes, out string payloadProblem, limits.MaxJsonDepth);
        if (payload is null)
        {
            header.Dispose();
            refusal = TokenVerdict.Invalid(Reasons.BadJson, $"The payload is {payloadProblem}.");
            return null;
        }

        refusal = CheckHeader(header.RootElement, limits, out string algorithm, out string? keyId, out string? type);
        if (refusal is not null)
        {
            header.Dispose();
            payload.Dispose();
            return null;
        }

        return new CompactJws(header, payload, signature!, ascii[..second], algorithm, keyId, type);
    }

    public void Dispose()
    {
        Header.Dispose();
        Payload.Dispose();
    }

    private static TokenVerdict? CheckHeader(JsonElement header, TokenLimits limits, out string algorithm, out string? keyId, out string? type)
    {
        algorithm = "";
        keyId = null;
        type = null;
        if (!header.TryGetProperty("alg", out JsonElement alg) || alg.ValueKind != JsonValueKind.String)
        {
            return TokenVerdict.Invalid(Reasons.BadAlgorithm, "The header has no \"alg\" string.");
        }

        algorithm = alg.GetString()!;
        if (algorithm.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return TokenVerdict.Invalid(Reasons.AlgorithmNone, "The header asks for no signature (\"alg\": \"none\"); unsigned tokens are never accepted.");
        }

        if (!JwsAlgorithms.Supported.Contains(algorithm))
        {
            return TokenVerdict.Invalid(Reasons.BadAlgorithm, $"The algorithm \"{ShownText.Of(algorithm)}\" is not supported.");
        }

        foreach (string carrier in KeyCarriers)
        {
            if (header.TryGetProperty(carrier, out _))
            {
                return TokenVerdict.Invalid(Reasons.EmbeddedKey, $"The header brings its own key (\"{carrier}\"); keys come only from the verifier's key sets.");
            }
        }

        if (header.TryGetProperty("kid", out JsonElement kid))
        {
            if (kid.ValueKind != JsonValueKind.String)
            {
                return TokenVerdict.Invalid(Reasons.BadKeyId, "The header's \"kid\" is not a string.");
            }

            keyId = kid.GetString()!;
            if (KeyIdProblem(keyId, limits.MaxKeyIdLength) is { } problem)
            {
                return TokenVerdict.Invalid(Reasons.BadKeyId, $"The header's \"kid\" {problem}.");
            }
        }

        if (header.TryGetProperty("crit", out JsonElement crit))
        {
            string listed = crit.ValueKind == JsonValueKind.Array ? string.Join(", ", crit.EnumerateArray().Select(c => ShownText.Of(c.ToString()))) : ShownText.Of(crit.ToString());
            return TokenVerdict.Invalid(Reasons.UnknownCritical, $"The header marks extensions as critical (\"crit\": {listed}) that this verifier does not understand.");
        }

        if (header.TryGetProperty("typ", out JsonElement typ))
        {
            if (typ.ValueKind != JsonValueKind.String)
            {
                return TokenVerdict.Invalid(Reasons.BadJson, "The header's \"typ\" is not a string.");
            }

            type = typ.GetString();
        }

        return null;
    }

    /// <summary>Why a <c>kid</c> is not a plain identifier, or <c>null</c>: it is looked up, logged and shown,
    /// so path separators, parent references, quotes, control characters and great length are refused.</summary>
    private static string? KeyIdProblem(string kid, int maxLength)
    {
        if (kid.Length == 0)
        {
            return "is empty";
        }

        if (kid.Length > maxLength)
        {
            return $"is {kid.Length:N0} characters long (limit {maxLength:N0})";
        }

        if (kid.Any(c => char.IsControl(c) || c is '"' or '\'' or '/' or '\\' or '`' or '<' or '>'))
        {
            return "holds quotes, slashes, angle brackets or control characters";
        }

        return kid.Contains("..", StringComparison.Ordinal) ? "holds a parent reference (\"..\")" : null;
    }
}
