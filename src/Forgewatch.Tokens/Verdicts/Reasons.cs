namespace Forgewatch.Tokens.Verdicts;

/// <summary>The stable reason codes of <see cref="TokenVerdict.Reason"/>. A code, once published, keeps
/// its meaning.</summary>
public static class Reasons
{
    /// <summary>The token is longer than the size limit.</summary>
    public const string TooLarge = "too_large";

    /// <summary>Not three dot-separated parts.</summary>
    public const string NotCompactJws = "not_compact_jws";

    /// <summary>A part is not canonical base64url (padding, whitespace, <c>+</c> or <c>/</c>, stray bits).</summary>
    public const string BadBase64Url = "bad_base64url";

    /// <summary>The header or payload is not one JSON object, repeats a member name, or nests too deep.</summary>
    public const string BadJson = "bad_json";

    /// <summary>The header names no algorithm, or one that is not supported.</summary>
    public const string BadAlgorithm = "bad_algorithm";

    /// <summary>The header asks for no signature (<c>alg: none</c>, in any spelling).</summary>
    public const string AlgorithmNone = "alg_none";

    /// <summary>The header names or embeds its own key (<c>jwk</c>, <c>jku</c>, <c>x5u</c>, <c>x5c</c>).</summary>
    public const string EmbeddedKey = "embedded_key";

    /// <summary>The header's <c>kid</c> is not a plain identifier (too long, control characters, quotes,
    /// path separators).</summary>
    public const string BadKeyId = "bad_kid";

    /// <summary>The header lists <c>crit</c> extensions this verifier does not understand.</summary>
    public const string UnknownCritical = "unknown_crit";
}
