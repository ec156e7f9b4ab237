namespace Forgewatch.Tokens.Keys;

/// <summary>A JWK that was read and not taken, with a stable reason code (<see cref="KeyReasons"/>) and a
/// sentence. Kept so that a token naming it is told why, instead of "no such key".</summary>
public sealed record RefusedKey(string Source, string? KeyId, string Reason, string Message);

/// <summary>Why a JWK is refused: stable codes.</summary>
public static class KeyReasons
{
    public const string Malformed = "malformed_key";
    public const string UnsupportedType = "unsupported_key_type";
    public const string NotForSigning = "not_for_signing";
    public const string BadAlgorithm = "key_algorithm";
    public const string Weak = "weak_key";
    public const string InvalidPoint = "invalid_point";
    public const string CertificateMismatch = "certificate_mismatch";
    public const string MixedKeySet = "mixed_key_set";
}
