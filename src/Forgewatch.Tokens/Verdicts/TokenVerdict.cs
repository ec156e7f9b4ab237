namespace Forgewatch.Tokens.Verdicts;

/// <summary>
/// The outcome of verifying one token: its kind, a stable reason code (<see cref="Reasons"/>; scripts may
/// depend on it) and one plain sentence for people, with details when they were read. The sentence may quote
/// the token's own values, which are attacker-controlled: display it as text, never as markup.
/// </summary>
public sealed record TokenVerdict(VerdictKind Kind, string Reason, string Message)
{
    public TokenDetails? Details { get; init; }

    public static TokenVerdict Invalid(string reason, string message) => new(VerdictKind.Invalid, reason, message);
}
