using Forgewatch.Core.Events;

namespace Forgewatch.Sources.Normalization;

/// <summary>Either an event or the reason a record could not become one.</summary>
internal readonly record struct NormalizeResult(AuditEvent? Event, string? ReasonCode, string? Reason)
{
    public static NormalizeResult Ok(AuditEvent e) => new(e, null, null);

    public static NormalizeResult Reject(string code, string reason) => new(null, code, reason);
}
