using System.Net;
using Forgewatch.Core.Alerts;
using Forgewatch.Core.Coverage;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Events;
using Forgewatch.Core.Indicators;

namespace Forgewatch.Core.Tests.Detections;

/// <summary>
/// A tenant's records written as a story, then run through a <see cref="DetectionEngine"/> in time order.
/// Each record gets a readable id (<c>read-1</c>, <c>signin-2</c>, <c>admin-3</c>) unless the test names one.
/// Coverage is the real <see cref="CoverageMap"/> fed with the same records unless the test states one.
/// </summary>
internal sealed class Scenario
{
    public const string Tenant = "t1";
    public const string OtherTenant = "t2";
    public const string Bob = "bob@contoso.com";
    public const string Alice = "alice@contoso.com";
    public const string Eve = "eve@contoso.com";

    /// <summary>An application no first-party allowlist knows.</summary>
    public const string UnknownApp = "7f3c2a10-5b6d-4e8f-9a01-23456789abcd";

    /// <summary>A second unknown application.</summary>
    public const string OtherApp = "0c9e8d7f-1a2b-4c3d-8e9f-a0b1c2d3e4f5";

    /// <summary>Microsoft Office (Outlook desktop): on the default allowlist.</summary>
    public const string OutlookDesktop = "d3590ed6-52b3-4102-aeff-aad2292ab01c";

    /// <summary>Office 365 Exchange Online (Outlook on the web): on the default allowlist.</summary>
    public const string ExchangeOnline = "00000002-0000-0ff1-ce00-000000000000";

    public const string HomeIp = "198.51.100.20";
    public const string AttackerIp = "203.0.113.66";

    private static readonly RecordOrigin Ual = new("ual.jsonl", SourceShape.UalJsonLines, 1, 0);
    private static readonly RecordOrigin SignInLog = new("signins.json", SourceShape.SignInGraphJson, 0, 0);

    private readonly List<AuditEvent> _events = [];
    private int _next;

    public DetectionOptions Options { get; init; } = new();

    public IndicatorSet Indicators { get; init; } = new();

    /// <summary>Null: a <see cref="CoverageMap"/> fed with the scenario's records.</summary>
    public ILogCoverage? Coverage { get; init; }

    /// <summary>The records added so far, in the order added.</summary>
    public IReadOnlyList<AuditEvent> Records => _events;

    /// <summary>2023-06-01 is day 1; days past the end of June run on into July.</summary>
    public static DateTime At(int day, int hour = 0, int minute = 0, int second = 0) =>
        new DateTime(2023, 6, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(day - 1).AddHours(hour).AddMinutes(minute).AddSeconds(second);

    /// <summary>A folder of a Bind record with the messages read in it.</summary>
    public static AccessedFolder Folder(string path, params string[] messageIds) => new(path, messageIds);

    /// <summary>A MailItemsAccessed record. The acting user defaults to the mailbox owner; a Bind without
    /// folders reads one message in <c>\Inbox</c> named after the record.</summary>
    public MailAccessEvent Read(
        DateTime time,
        string mailbox = Bob,
        string? user = null,
        string? app = UnknownApp,
        string? clientApp = null,
        string? ip = AttackerIp,
        string? session = null,
        string? token = null,
        string? userAgent = null,
        MailAccessType type = MailAccessType.Bind,
        IReadOnlyList<AccessedFolder>? folders = null,
        bool throttled = false,
        string? tenant = Tenant,
        string? id = null)
    {
        id ??= NextId("read");
        var header = new EventHeader(
            id, time, "MailItemsAccessed", LogKind.UalMailAccess, Ual,
            TenantId: tenant, UserId: user ?? mailbox, AppId: app, ClientAppId: clientApp, ClientIp: Ip(ip),
            UserAgent: userAgent, AadSessionId: session, UniqueTokenId: token, Workload: "Exchange", RecordType: 50,
            ResultStatus: "Succeeded");
        return Add(new MailAccessEvent(header)
        {
            MailboxOwner = mailbox,
            LogonType = 0,
            AccessType = type,
            IsThrottled = throttled,
            OperationCount = 1,
            Folders = folders ?? (type == MailAccessType.Sync ? [new AccessedFolder("\\Inbox", [])] : [Folder("\\Inbox", $"<{id}@contoso.com>")]),
        });
    }

    /// <summary>A Sync record of <paramref name="paths"/> (every item in each must be treated as read).</summary>
    public MailAccessEvent Sync(DateTime time, string[] paths, string mailbox = Bob, string? ip = AttackerIp, string? app = UnknownApp, string? id = null) =>
        Read(time, mailbox, app: app, ip: ip, type: MailAccessType.Sync, folders: paths.Select(p => new AccessedFolder(p, [])).ToList(), id: id);

    /// <summary>An Entra sign-in log entry; successful unless said otherwise.</summary>
    public SignInEvent SignIn(
        DateTime time,
        string user = Bob,
        string? ip = HomeIp,
        string? session = null,
        string? token = null,
        bool succeeded = true,
        LogKind log = LogKind.EntraInteractiveSignIn,
        string? app = OutlookDesktop,
        string? tenant = Tenant,
        string? id = null)
    {
        var header = new EventHeader(
            id ?? NextId("signin"), time, "Sign-in activity", log, SignInLog,
            TenantId: tenant, UserId: user, AppId: app, ClientIp: Ip(ip), SessionId: session, UniqueTokenId: token,
            ResultStatus: succeeded ? "0" : "50126");
        return Add(new SignInEvent(header) { Succeeded = succeeded, ErrorCode = succeeded ? 0 : 50126 });
    }

    /// <summary>An admin operation: an Exchange cmdlet (<see cref="AdminArea.Mailbox"/>) or an Entra audit record.</summary>
    public AdminOperationEvent Admin(
        DateTime time,
        string operation,
        AdminArea area = AdminArea.Mailbox,
        IReadOnlyList<NamedValue>? parameters = null,
        IReadOnlyList<ModifiedProperty>? modified = null,
        IReadOnlyList<string>? targets = null,
        string? objectId = null,
        string? mailboxOwner = null,
        string user = Eve,
        string? ip = AttackerIp,
        string? session = null,
        string? result = "Succeeded",
        string? tenant = Tenant,
        string? id = null)
    {
        LogKind log = area == AdminArea.Mailbox ? LogKind.UalExchangeAdmin : LogKind.UalAzureAd;
        var header = new EventHeader(
            id ?? NextId("admin"), time, operation, log, Ual,
            TenantId: tenant, UserId: user, ClientIp: Ip(ip), AadSessionId: session,
            Workload: area == AdminArea.Mailbox ? "Exchange" : "AzureActiveDirectory", RecordType: area == AdminArea.Mailbox ? 1 : 8,
            ResultStatus: result);
        return Add(new AdminOperationEvent(header)
        {
            Area = area,
            ObjectId = objectId,
            MailboxOwner = mailboxOwner,
            Parameters = parameters ?? [],
            ModifiedProperties = modified ?? [],
            Targets = targets ?? [],
        });
    }

    /// <summary>Runs <paramref name="detections"/> over the records in time order and finishes the engine.</summary>
    public Outcome Run(params IDetection[] detections)
    {
        DetectionEngine engine = Process(detections);
        engine.Finish();
        return new Outcome(engine.Context, engine.Events);
    }

    /// <summary>Runs <paramref name="detections"/> over the records in time order without finishing the engine:
    /// what is still waiting stays waiting.</summary>
    public DetectionEngine Process(params IDetection[] detections)
    {
        var map = new CoverageMap();
        foreach (AuditEvent e in _events)
        {
            map.Add(e);
        }

        var context = new DetectionContext(Options, Indicators, Coverage ?? map);
        var engine = new DetectionEngine(detections, context);

        // OrderBy is stable: records of the same time keep the order the story wrote them in.
        foreach (AuditEvent e in _events.OrderBy(e => e.Time))
        {
            engine.Process(e, map.TenantOf(e));
        }

        return engine;
    }

    private T Add<T>(T e)
        where T : AuditEvent
    {
        _events.Add(e);
        return e;
    }

    private string NextId(string prefix) => $"{prefix}-{++_next}";

    private static IPAddress? Ip(string? text) => text is null ? null : IPAddress.Parse(text);
}

/// <summary>What a scenario run left: alerts and the evaluation counts.</summary>
internal sealed record Outcome(DetectionContext Context, long Events)
{
    public IReadOnlyList<Alert> Alerts => Context.Alerts.Alerts;

    public EvaluationLog Evaluation => Context.Evaluation;

    /// <summary>Records <paramref name="detection"/> evaluated for <paramref name="tenant"/>.</summary>
    public long Evaluated(string detection, string tenant = Scenario.Tenant) =>
        Evaluation.Entries.Where(e => e.Detection == detection && e.Tenant == tenant).Sum(e => e.Evaluated);

    /// <summary>Records <paramref name="detection"/> could not evaluate for <paramref name="reason"/>.</summary>
    public long Skipped(string detection, string reason, string tenant = Scenario.Tenant) =>
        Evaluation.Entries.Where(e => e.Detection == detection && e.Tenant == tenant)
            .SelectMany(e => e.NotEvaluated).Where(s => s.Reason == reason).Sum(s => s.Records);
}
