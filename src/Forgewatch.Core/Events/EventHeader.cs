using System.Net;
using Forgewatch.Core.Text;

namespace Forgewatch.Core.Events;

/// <summary>
/// The members every <see cref="AuditEvent"/> has, gathered so that a reader fills them once and each
/// event type adds only its own. See <see cref="AuditEvent"/> for what each member means. Identifiers
/// take strings too (<see cref="Identifier"/> converts them).
/// </summary>
public readonly record struct EventHeader(
    Identifier RecordId,
    DateTime Time,
    string Operation,
    LogKind Log,
    RecordOrigin Origin,
    string? TenantId = null,
    string? UserId = null,
    string? AppId = null,
    string? ClientAppId = null,
    IPAddress? ClientIp = null,
    string? ClientIpText = null,
    string? UserAgent = null,
    Identifier SessionId = default,
    Identifier AadSessionId = default,
    string? UniqueTokenId = null,
    Identifier CorrelationId = default,
    string? Workload = null,
    int? RecordType = null,
    string? ResultStatus = null);
