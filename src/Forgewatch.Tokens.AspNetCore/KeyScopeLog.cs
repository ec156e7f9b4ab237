using Microsoft.Extensions.Logging;

namespace Forgewatch.Tokens.AspNetCore;

/// <summary>The refusals' log messages. Every claim is the token's own, attacker-controlled text: it goes in
/// as a structured value, never into a template.</summary>
internal static partial class KeyScopeLog
{
    [LoggerMessage(EventId = 1, EventName = "ForgedToken", Level = LogLevel.Warning,
        Message = "Refused a forged token ({Reason}): signed by key {KeyId} of {KeyOwner}, claiming issuer {Issuer}, tenant {Tenant}. {Verdict}")]
    public static partial void Forged(ILogger logger, string reason, string? keyId, string? keyOwner, string? issuer, string? tenant, string verdict);

    [LoggerMessage(EventId = 2, EventName = "InvalidToken", Level = LogLevel.Information,
        Message = "Refused a token JwtBearer had accepted ({Reason}): key {KeyId}, claiming issuer {Issuer}, tenant {Tenant}. {Verdict}")]
    public static partial void Invalid(ILogger logger, string reason, string? keyId, string? issuer, string? tenant, string verdict);

    [LoggerMessage(EventId = 3, EventName = "UnreadableToken", Level = LogLevel.Warning,
        Message = "Refused a token whose key scope cannot be checked: JwtBearer handed over a {TokenType}, not a compact JWT.")]
    public static partial void Unreadable(ILogger logger, string tokenType);
}
