namespace Forgewatch.Tokens.Jws;

/// <summary>The JWS algorithms this verifier supports (RFC 7518, section 3), spelled exactly as registered.</summary>
public static class JwsAlgorithms
{
    public static IReadOnlySet<string> Supported { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512",
    };
}
