using Forgewatch.Core.Events;

namespace Forgewatch.Core.Alerts;

/// <summary>The client facts of an alert's first evidence record, as logged (attacker-controlled text).</summary>
public sealed record AlertAttributes(
    string? AppId,
    string? ClientAppId,
    string? Ip,
    string? SessionId,
    string? UserAgent,
    string? UniqueTokenId)
{
    public static AlertAttributes Of(AuditEvent e) =>
        new(e.AppId, e.ClientAppId, e.ClientIpText, e.AadSessionId ?? e.SessionId, e.UserAgent, e.UniqueTokenId);
}
