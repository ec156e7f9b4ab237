using Forgewatch.Core.Alerts;
using Forgewatch.Core.Coverage;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Spool;
using Forgewatch.Core.Events;
using Forgewatch.Core.Exposure;
using Forgewatch.Core.Incidents;
using Forgewatch.Core.Indicators;
using Forgewatch.Core.Scanning;
using Forgewatch.Core.Tests.Detections;
using static Forgewatch.Core.Tests.Detections.Scenario;

namespace Forgewatch.Core.Tests.Scanning;

public sealed class InvestigationTests
{
    private const string StormProxy = "146.70.157.45";
    private const string ForgedSession = "forged-sess";

    /// <summary>
    /// Bob signs in every morning and reads his mail with Outlook for 19 days; tenant t2 has an ordinary read.
    /// On day 20 at 03:00 an application nobody used reads Bob's mail from a Storm-0558 proxy with a session no
    /// sign-in created: m1 and m2 in the Inbox, m3 in Sent Items, then m1 again.
    /// </summary>
    private static Scenario ForgedTokenStory()
    {
        var s = new Scenario();
        for (int day = 1; day <= 20; day++)
        {
            s.SignIn(At(day, 8), session: $"bob-s{day}");
            s.SignIn(At(day, 8), session: $"bob-s{day}", log: LogKind.EntraNonInteractiveSignIn);
            if (day < 20)
            {
                s.Read(At(day, 8, 30), app: OutlookDesktop, ip: HomeIp, session: $"bob-s{day}");
            }
        }

        s.Read(At(20, 5), mailbox: "dan@fabrikam.com", app: OutlookDesktop, ip: "192.0.2.50", tenant: OtherTenant);
        s.Read(At(20, 3, 0), ip: StormProxy, session: ForgedSession, userAgent: "Client=REST;Client=RESTSystem;;",
            folders: [Folder("\\Inbox", "<m1@contoso.com>", "<m2@contoso.com>")], id: "forged-1");
        s.Read(At(20, 3, 1), ip: StormProxy, session: ForgedSession, folders: [Folder("\\Sent Items", "<m3@contoso.com>")], id: "forged-2");
        s.Read(At(20, 3, 2), ip: StormProxy, session: ForgedSession, folders: [Folder("\\Inbox", "<m1@contoso.com>")], id: "forged-3");
        return s;
    }

    private static (InvestigationResult Result, int Events) Investigate(Scenario s, Func<string, bool>? includeTenant = null)
    {
        using var spool = new EventSpool();
        var coverage = new CoverageMap();
        foreach (AuditEvent e in s.Records)
        {
            spool.Add(e);
            coverage.Add(e);
        }

        var context = new DetectionContext(new DetectionOptions(), Storm0558Indicators.Create(), coverage);
        return (Investigation.Run(spool, coverage.TenantOf, BuiltInDetections.Create(), context, includeTenant), s.Records.Count);
    }

    [Fact]
    public void Run_ForgedTokenScenario_OneIncidentWhoseExposureListsTheMessagesRead()
    {
        (InvestigationResult result, int events) = Investigate(ForgedTokenStory());

        Incident incident = Assert.Single(result.Incidents);
        Assert.Equal(Tenant, incident.Tenant);
        Assert.Equal(["FW1001", "FW1002", "FW1003", "FW1006"], incident.Detections);
        Assert.Equal(Severity.Critical, incident.Severity);
        Assert.Contains(new ActorKey(ActorKind.App, UnknownApp), incident.ActorKeys);
        Assert.Contains(new ActorKey(ActorKind.Session, ForgedSession), incident.ActorKeys);
        Assert.Contains(new ActorKey(ActorKind.Ip, StormProxy), incident.ActorKeys);
        Assert.DoesNotContain(new ActorKey(ActorKind.Ip, HomeIp), incident.ActorKeys);
        Assert.Equal(At(20, 3), incident.FirstSeen);
        Assert.Equal(At(20, 3, 2), incident.LastSeen);

        Assert.Equal(4, result.Alerts.Count);
        Assert.All(result.Alerts, a => Assert.Equal(incident.Id, a.Incident));
        Assert.Equal(["forged-1", "forged-2", "forged-3"], result.Alerts.Single(a => a.Detection == "FW1002").EvidenceIds);
        Assert.Equal(Severity.High, result.Alerts.Single(a => a.Detection == "FW1001").Severity);

        Assert.Equal(
            [("\\Inbox", "<m1@contoso.com>"), ("\\Inbox", "<m2@contoso.com>"), ("\\Sent Items", "<m3@contoso.com>")],
            result.Exposure.Select(e => (e.Folder, e.InternetMessageId)));
        Assert.All(result.Exposure, e => Assert.Equal(incident.Id, e.Incident));
        MailboxExposure bob = Assert.Single(incident.Exposure);
        Assert.Equal(Bob, bob.Mailbox);
        Assert.Equal(3, bob.Messages);
        Assert.Equal(3, bob.Records);
        Assert.False(bob.Throttled);
        Assert.Contains("3 messages opened one by one", incident.Summary, StringComparison.Ordinal);

        Assert.Equal(events, result.Events);
        Assert.Equal(events, result.Evaluation.NotEvaluatedTotal("FW1003"));
    }

    [Fact]
    public void Run_OnlyOtherTenantIncluded_NoIncidentAndOnlyItsEventsLookedAt()
    {
        (InvestigationResult result, _) = Investigate(ForgedTokenStory(), t => t == OtherTenant);

        Assert.Empty(result.Alerts);
        Assert.Empty(result.Incidents);
        Assert.Empty(result.Exposure);
        Assert.Equal(1, result.Events);
    }

    [Fact]
    public void Run_OrdinaryActivityOnly_NoAlerts()
    {
        var s = new Scenario();
        for (int day = 1; day <= 20; day++)
        {
            s.SignIn(At(day, 8), session: $"bob-s{day}");
            s.Read(At(day, 8, 30), app: OutlookDesktop, ip: HomeIp, session: $"bob-s{day}");
        }

        (InvestigationResult result, _) = Investigate(s);

        Assert.Empty(result.Alerts);
        Assert.Empty(result.Incidents);
        Assert.True(result.Evaluation.Entries.Single(e => e.Detection == "FW1002").Evaluated > 0);
    }
}
