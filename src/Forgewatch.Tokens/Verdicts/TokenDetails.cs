namespace Forgewatch.Tokens.Verdicts;

/// <summary>What a verdict can say about the token and the key: as much as was read before the verdict was
/// reached. Claims are the token's own, attacker-controlled words until the verdict is valid.</summary>
public sealed record TokenDetails
{
    public string? Algorithm { get; init; }

    public string? KeyId { get; init; }

    /// <summary>Whom the key belongs to, as the policy says.</summary>
    public string? KeyOwner { get; init; }

    /// <summary>Where the key's scope came from (a policy rule, a key set's scope, the JWK's issuer member),
    /// or "none" for a key nothing binds.</summary>
    public string? KeyScope { get; init; }

    /// <summary>The issuers the key may sign for (forged verdicts).</summary>
    public IReadOnlyList<string>? AllowedIssuers { get; init; }

    public string? Issuer { get; init; }

    public string? Tenant { get; init; }

    /// <summary>The audience accepted, or the token's first.</summary>
    public string? Audience { get; init; }

    public string? Subject { get; init; }

    /// <summary><c>azp</c> or <c>appid</c>: the application the token was issued to.</summary>
    public string? Application { get; init; }

    public DateTimeOffset? IssuedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
}
