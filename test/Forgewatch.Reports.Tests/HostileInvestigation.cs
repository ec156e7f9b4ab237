using System.Net;
using Forgewatch.Core.Coverage;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Spool;
using Forgewatch.Core.Events;
using Forgewatch.Core.Indicators;
using Forgewatch.Core.Scanning;
using Forgewatch.Core.Text;

namespace Forgewatch.Reports.Tests;

/// <summary>
/// A real investigation (the built-in detections over events) whose log-derived values are hostile: script
/// tags, spreadsheet formulas, terminal escapes and bidirectional overrides in user agents, folder paths,
/// message ids, mailbox names and an inbox rule's name.
/// </summary>
internal static class HostileInvestigation
{
    public const string Script = "<script>alert('x')</script>";
    public const string Tenant = "t-hostile";
    public const string Mailbox = "victim@example.test";
    public const string UserAgent = Script + "\u001b]0;owned\u0007 \u202Egnp.exe";
    public static readonly string[] Folders = ["=HYPERLINK(\"http://evil.test\",\"open\")", "\\Inbox\r\n+1-1\u0007" + Script];
    public static readonly string[] MessageIds = ["@SUM(1+1)<a@evil.test>", "-2+3<b@evil.test>", "\t=1<c@evil.test>"];

    public static (InvestigationResult Result, CoverageMap Coverage, ScanSummary Summary) Create()
    {
        DateTime time = new(2023, 6, 6, 2, 0, 0, DateTimeKind.Utc);
        var origin = new RecordOrigin("hostile.jsonl", SourceShape.UalJsonLines, 1, 0);
        AuditEvent[] events =
        [
            new MailAccessEvent(Header("m1", time, "MailItemsAccessed", LogKind.UalMailAccess, origin))
            {
                MailboxOwner = Mailbox,
                AccessType = MailAccessType.Bind,
                IsThrottled = true,
                Folders =
                [
                    new AccessedFolder(Folders[0], Utf8StringList.From(MessageIds)),
                    new AccessedFolder(Folders[1], Utf8StringList.From(["<d@evil.test>"])),
                ],
            },
            new AdminOperationEvent(Header("a1", time.AddMinutes(1), "New-InboxRule", LogKind.UalExchangeAdmin, origin with { ByteOffset = 10 }))
            {
                Area = AdminArea.Mailbox,
                MailboxOwner = Mailbox,
                Parameters = [new NamedValue("Name", "=cmd|' /C calc'!A0 " + Script), new NamedValue("ForwardTo", "x@evil.test")],
            },
        ];

        var coverage = new CoverageMap();
        var summary = new ScanSummary();
        using var spool = new EventSpool();
        foreach (AuditEvent e in events)
        {
            coverage.Add(e);
            summary.Add(e);
            spool.Add(e);
        }

        var context = new DetectionContext(new DetectionOptions(), Storm0558Indicators.Create(), coverage);
        InvestigationResult result = Investigation.Run(spool, coverage.TenantOf, BuiltInDetections.Create(), context);
        return (result, coverage, summary);
    }

    private static EventHeader Header(string id, DateTime time, string operation, LogKind log, RecordOrigin origin) => new(
        id,
        time,
        operation,
        log,
        origin,
        TenantId: Tenant,
        UserId: Mailbox,
        AppId: "4b0964e4-58f1-47f4-a552-e2e1fc56dcd7",
        ClientIp: IPAddress.Parse("146.70.157.45"),
        UserAgent: UserAgent,
        AadSessionId: Identifier.FromText("session-" + Script));
}
