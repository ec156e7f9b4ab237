using Forgewatch.Core.Coverage;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Events;
using Forgewatch.Core.Indicators;
using Forgewatch.Core.Tests.Detections;
using static Forgewatch.Core.Tests.Detections.Scenario;

namespace Forgewatch.Core.Tests.Engine;

public sealed class DetectionRunTests
{
    /// <summary>Sixty users over twenty days: sign-ins, reads with their sessions, some from a Storm-0558
    /// proxy with sessions no sign-in made, syncs of many folders, a forwarding rule: every detection fires.</summary>
    private static Scenario Busy()
    {
        var s = new Scenario();
        for (int day = 1; day <= 20; day++)
        {
            for (int u = 0; u < 60; u++)
            {
                string user = $"user{u}@contoso.com";
                string session = $"s-{u}-{day}";
                s.SignIn(At(day, 7 + (u % 3)), user: user, session: session, ip: $"198.51.100.{u}");
                s.Read(At(day, 8 + (u % 5), u), mailbox: user, user: user, app: OutlookDesktop, ip: $"198.51.100.{u}", session: session);
                if (day > 15 && u % 7 == 0)
                {
                    s.Read(At(day, 2, u % 60), mailbox: user, user: user, ip: "146.70.157.45", session: $"forged-{u}-{day}");
                    for (int f = 0; f < 9; f++)
                    {
                        s.Read(At(day, 3, f), mailbox: user, ip: "192.0.2.9", session: $"forged-{u}-{day}", type: MailAccessType.Sync, folders: [new AccessedFolder($"\\Folder{f}", [])]);
                    }
                }
            }
        }

        s.Admin(At(18, 4), "New-InboxRule", parameters: [new NamedValue("ForwardTo", "x@evil.test")], mailboxOwner: "user7@contoso.com");
        return s;
    }

    [Fact]
    public void Run_TwoThreadsOrOne_SameAlertsSameEvidenceSameCounts()
    {
        Scenario s = Busy();

        DetectionRun.Outcome one = Run(s, parallel: false);
        DetectionRun.Outcome two = Run(s, parallel: true);

        Assert.True(one.Alerts.Count > 20);
        Assert.Equal(7, one.Alerts.Select(a => a.Detection).Distinct().Count());
        Assert.Equal(
            one.Alerts.Select(a => (a.Id, a.Detection, a.Severity, a.Confidence, string.Join(",", a.EvidenceIds), a.EvidenceCount, a.LastSeen)),
            two.Alerts.Select(a => (a.Id, a.Detection, a.Severity, a.Confidence, string.Join(",", a.EvidenceIds), a.EvidenceCount, a.LastSeen)));
        Assert.Equal(Counts(one.Evaluation), Counts(two.Evaluation));
        Assert.Equal(one.Events, two.Events);
        Assert.Equal(s.Records.Count, two.Events);
    }

    [Fact]
    public void Run_DetectionThatThrowsOnTheWorker_ExceptionReachesTheCaller()
    {
        Scenario s = Busy();
        var coverage = new CoverageMap();
        foreach (AuditEvent e in s.Records)
        {
            coverage.Add(e);
        }

        var context = new DetectionContext(new DetectionOptions(), new IndicatorSet(), coverage);
        IDetection[] detections = [new Throwing(), new FirstSeenMailClient()];

        var thrown = Assert.Throws<InvalidOperationException>(() =>
            DetectionRun.Run(s.Records.OrderBy(e => e.Time).Select(e => (e, coverage.TenantOf(e))), detections, context, parallel: true));
        Assert.Equal("boom", thrown.Message);
    }

    private static DetectionRun.Outcome Run(Scenario s, bool parallel)
    {
        var coverage = new CoverageMap();
        foreach (AuditEvent e in s.Records)
        {
            coverage.Add(e);
        }

        var context = new DetectionContext(new DetectionOptions(), Storm0558Indicators.Create(), coverage);
        IEnumerable<(AuditEvent, string)> events = s.Records.Select((e, i) => (e, i)).OrderBy(p => p.e.Time).ThenBy(p => p.i).Select(p => (p.e, coverage.TenantOf(p.e)));
        return DetectionRun.Run(events, BuiltInDetections.Create(), context, parallel);
    }

    private static List<string> Counts(EvaluationLog log) =>
        [.. log.Entries.Select(e => $"{e.Detection} {e.Tenant} {e.Evaluated} " + string.Join(";", e.NotEvaluated.Select(n => $"{n.Reason}={n.Records}")))];

    private sealed class Throwing : IDetection
    {
        private int _seen;

        public string Id => "FW9999";

        public string Title => "Throws";

        public void Observe(AuditEvent e, string tenant, DetectionContext context)
        {
            if (++_seen == 1000)
            {
                throw new InvalidOperationException("boom");
            }
        }
    }
}
