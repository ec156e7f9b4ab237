namespace Forgewatch.Tokens.Verdicts;

/// <summary>What a verification concluded.</summary>
public enum VerdictKind
{
    /// <summary>Well-formed, signed by a key in scope for what it claims, and its claims hold.</summary>
    Valid,

    /// <summary>Malformed, badly signed, expired, or otherwise not acceptable.</summary>
    Invalid,

    /// <summary>The signature is good, but the key had no right to sign this token (wrong issuer, tenant,
    /// audience, type or time): the Storm-0558 case.</summary>
    Forged,
}
