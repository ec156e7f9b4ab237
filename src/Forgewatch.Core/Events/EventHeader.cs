using System.Net;

namespace Forgewatch.Core.Events;

/// <summary>
/// The members every <see cref="AuditEvent"/> has, gathered so that a reader fills them once and each
/// event type adds only its own. See <see cref="AuditEvent"/> for what each member means.
/// </summary>
public readonly record struct EventHeader(
    string RecordId,
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
    string? SessionId = null,
    string? AadSessionId = null,
    string? UniqueTokenId = null,
    string? CorrelationId = null,
    string? Workload = null,
    int? RecordType = null,
    string? ResultStatus = null);
