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

    /// <summary>The header or payload is not one JSON object, repeats a member name, nests too deep, or has a
    /// string escaping a lone surrogate.</summary>
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

    /// <summary>The token is valid.</summary>
    public const string Valid = "valid";

    /// <summary>No key in the policy has the token's <c>kid</c> (or <c>x5t</c>), or the token names none and
    /// the policy has more than one.</summary>
    public const string UnknownKey = "unknown_key";

    /// <summary>More than one key answers to the token's <c>kid</c>.</summary>
    public const string AmbiguousKey = "ambiguous_key";

    /// <summary>The key the token names was refused when its key set was read (weak, wrong use...).</summary>
    public const string KeyRefused = "key_refused";

    /// <summary>The token claims an algorithm other than its key's.</summary>
    public const string AlgorithmMismatch = "algorithm_mismatch";

    /// <summary>The signature does not verify with the key.</summary>
    public const string BadSignature = "bad_signature";

    /// <summary>A required claim (<c>iss</c>, <c>exp</c>) is missing.</summary>
    public const string MissingClaim = "missing_claim";

    /// <summary>A claim has the wrong type or an impossible value.</summary>
    public const string BadClaim = "bad_claim";

    /// <summary>Past <c>exp</c> (beyond the clock skew).</summary>
    public const string Expired = "expired";

    /// <summary>Before <c>nbf</c> (beyond the clock skew).</summary>
    public const string NotYetValid = "not_yet_valid";

    /// <summary><c>iat</c> lies in the future (beyond the clock skew).</summary>
    public const string IssuedInFuture = "issued_in_future";

    /// <summary><c>exp</c> - <c>iat</c> is longer than the policy's maximum lifetime.</summary>
    public const string LifetimeTooLong = "lifetime_too_long";

    /// <summary>The token's <c>aud</c> holds none of the verifier's audiences.</summary>
    public const string WrongAudience = "wrong_audience";

    /// <summary>The header's <c>typ</c> is not one the verifier accepts.</summary>
    public const string WrongType = "wrong_type";

    /// <summary>Forged: the key may not sign for the token's issuer (or the token has no plain <c>tid</c> to
    /// fill the key's issuer template).</summary>
    public const string IssuerOutOfScope = "issuer_out_of_scope";

    /// <summary>Forged: the key may not sign for the token's tenant.</summary>
    public const string TenantOutOfScope = "tenant_out_of_scope";

    /// <summary>Forged: the key may not sign for the token's audience.</summary>
    public const string AudienceOutOfScope = "audience_out_of_scope";

    /// <summary>Forged: the key may not sign this token type.</summary>
    public const string TypeOutOfScope = "type_out_of_scope";

    /// <summary>Forged: the token was issued, or is presented, outside the key's validity window or its
    /// certificate's, or after the key was retired.</summary>
    public const string KeyOutOfValidity = "key_out_of_validity";
}
