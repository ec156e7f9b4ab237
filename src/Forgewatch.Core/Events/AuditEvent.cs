using System.Net;
using Forgewatch.Core.Text;

namespace Forgewatch.Core.Events;

/// <summary>
/// One normalized audit record: a mail access, a sign-in, an admin operation, or any other operation
/// kept as a <see cref="GenericEvent"/>. Every value that came from a log is attacker-controlled text:
/// escape it before it reaches HTML, CSV or a terminal. Instances are immutable once built and safe to
/// share between threads (identifier texts are made on first use; two threads may both make one, which
/// is harmless).
/// </summary>
public abstract class AuditEvent
{
    protected AuditEvent(in EventHeader header)
    {
        if (header.Time.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException("Event times must be UTC.", nameof(header));
        }

        _recordId = header.RecordId.IsEmpty ? throw new ArgumentException("An event needs a record id.", nameof(header)) : header.RecordId;
        Operation = header.Operation ?? throw new ArgumentException("An event needs an operation.", nameof(header));
        Time = header.Time;
        Log = header.Log;
        Origin = header.Origin;
        TenantId = header.TenantId;
        UserId = header.UserId;
        AppId = header.AppId;
        ClientAppId = header.ClientAppId;
        ClientIp = header.ClientIp;
        _clientIpText = header.ClientIpText;
        UserAgent = header.UserAgent;
        _sessionId = header.SessionId;
        _aadSessionId = header.AadSessionId;
        UniqueTokenId = header.UniqueTokenId;
        _correlationId = header.CorrelationId;
        Workload = header.Workload;
        RecordType = header.RecordType;
        ResultStatus = header.ResultStatus;
    }

    // Identifiers are kept compact (see Identifier) and their text made on first use.
    private readonly Identifier _recordId;
    private readonly Identifier _sessionId;
    private readonly Identifier _aadSessionId;
    private readonly Identifier _correlationId;
    private string? _recordIdText;
    private string? _sessionIdText;
    private string? _aadSessionIdText;
    private string? _correlationIdText;

    /// <summary>The vendor's record id (UAL <c>Id</c>, sign-in <c>id</c>), or a content hash prefixed
    /// <c>sha256:</c> when the record carried none. Duplicates are detected on this value.</summary>
    public string RecordId => _recordIdText ??= _recordId.Text!;

    /// <summary><see cref="RecordId"/> without making its text: for keys and comparisons.</summary>
    public Identifier RecordKey => _recordId;

    /// <summary>When the audited action happened, in UTC (<see cref="DateTimeKind.Utc"/>).</summary>
    public DateTime Time { get; }

    /// <summary>The operation as the vendor names it (<c>MailItemsAccessed</c>, <c>Sign-in activity</c>...).</summary>
    public string Operation { get; }

    /// <summary>Which log stream the record belongs to; coverage is tracked per stream.</summary>
    public LogKind Log { get; }

    /// <summary>Where the record was read from.</summary>
    public RecordOrigin Origin { get; }

    /// <summary>Entra tenant id (UAL <c>OrganizationId</c>, sign-in <c>tenantId</c>/<c>resourceTenantId</c>).</summary>
    public string? TenantId { get; }

    /// <summary>The acting user as the log names them: a UPN for UAL and sign-ins, a SID or
    /// service name for system actions.</summary>
    public string? UserId { get; }

    public string? AppId { get; }

    public string? ClientAppId { get; }

    /// <summary>Client address with any port, brackets or host-name wrapper removed; null when the
    /// log's value was absent or not an address (the raw text is then in <see cref="ClientIpText"/>).</summary>
    public IPAddress? ClientIp { get; }

    /// <summary>The client address exactly as logged (bounded in length). A reader may leave it out of the
    /// header when the log wrote the address in its own canonical form (a plain dotted quad, the common
    /// case): it is then made from <see cref="ClientIp"/> on first use.</summary>
    public string? ClientIpText => _clientIpText ??= _derivedClientIpText = ClientIp?.ToString();

    private string? _clientIpText;

    /// <summary>The client address in one canonical form (no port, brackets or leading zeros), for keys and
    /// comparisons: the text of <see cref="ClientIp"/>, or the logged text when it was not an address.</summary>
    public string? ClientAddress => ClientIp is null || ClientIpTextAsLogged is null ? ClientIpText : _canonicalClientIp ??= ClientIp.ToString();

    private string? _canonicalClientIp;

    /// <summary>UAL <c>ClientInfoString</c> or the sign-in's <c>userAgent</c>.</summary>
    public string? UserAgent { get; }

    /// <summary>UAL <c>SessionId</c> or the sign-in's <c>sessionId</c>.</summary>
    public string? SessionId => _sessionIdText ??= _sessionId.Text;

    /// <summary>UAL <c>AppAccessContext.AADSessionId</c>.</summary>
    public string? AadSessionId => _aadSessionIdText ??= _aadSessionId.Text;

    /// <summary>UAL <c>AppAccessContext.UniqueTokenId</c> or the sign-in's <c>uniqueTokenIdentifier</c>.</summary>
    public string? UniqueTokenId { get; }

    /// <summary>UAL <c>AppAccessContext.CorrelationId</c> or the sign-in's <c>correlationId</c>.</summary>
    public string? CorrelationId => _correlationIdText ??= _correlationId.Text;

    /// <summary>UAL <c>Workload</c> (Exchange, AzureActiveDirectory...); null for Entra sign-in logs.</summary>
    public string? Workload { get; }

    /// <summary>UAL <c>RecordType</c> as a number (names such as <c>ExchangeItemAggregated</c> are mapped).</summary>
    public int? RecordType { get; }

    /// <summary>UAL <c>ResultStatus</c>, or the sign-in's error code as text.</summary>
    public string? ResultStatus { get; }

    /// <summary><see cref="SessionId"/> without making its text.</summary>
    internal Identifier SessionKey => _sessionId;

    /// <summary><see cref="AadSessionId"/> without making its text.</summary>
    internal Identifier AadSessionKey => _aadSessionId;

    /// <summary><see cref="CorrelationId"/> without making its text.</summary>
    internal Identifier CorrelationKey => _correlationId;

    /// <summary>The client address text the reader gave, null when it is made from <see cref="ClientIp"/>.</summary>
    internal string? ClientIpTextAsLogged => ReferenceEquals(_clientIpText, _derivedClientIpText) ? null : _clientIpText;

    private string? _derivedClientIpText;

    /// <summary>What kind of event this is, for summaries and switch-free grouping.</summary>
    public abstract EventKind Kind { get; }
}
