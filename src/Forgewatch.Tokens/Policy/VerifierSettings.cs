using Forgewatch.Tokens.Jws;

namespace Forgewatch.Tokens.Policy;

/// <summary>What every token must satisfy, whichever key signed it.</summary>
public sealed record VerifierSettings
{
    /// <summary>The most clock skew any policy may allow.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(10);

    private readonly TimeSpan _clockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Audiences this verifier accepts (a token's <c>aud</c> must hold one); empty accepts any.</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary>Header <c>typ</c> values accepted (ignoring case); empty accepts any or none.</summary>
    public IReadOnlyList<string> TokenTypes { get; init; } = [];

    /// <summary>Allowed difference between the issuer's clock and ours, at most <see cref="MaxClockSkew"/>
    /// (default 5 minutes).</summary>
    public TimeSpan ClockSkew
    {
        get => _clockSkew;
        init => _clockSkew = value >= TimeSpan.Zero && value <= MaxClockSkew
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"The clock skew must be between 0 and {MaxClockSkew.TotalMinutes} minutes.");
    }

    /// <summary>Whether a token without <c>exp</c> is refused (default yes).</summary>
    public bool RequireExpiry { get; init; } = true;

    /// <summary>The longest <c>exp</c> - <c>iat</c> accepted, if any.</summary>
    public TimeSpan? MaxLifetime { get; init; }

    public TokenLimits Limits { get; init; } = new();
}
