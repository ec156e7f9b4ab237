using Forgewatch.Core.Alerts;
using Forgewatch.Core.Events;
using Forgewatch.Core.Tests.Detections;
using static Forgewatch.Core.Tests.Detections.Scenario;

namespace Forgewatch.Core.Tests.Alerts;

public sealed class AlertCollectorTests
{
    private static readonly TimeSpan Gap = TimeSpan.FromHours(24);

    private static Finding FindingOf(
        AuditEvent e, string group = "g", Severity severity = Severity.Medium, Confidence confidence = Confidence.Medium,
        string reason = "seen", ActorScope actor = ActorScope.Client, string? app = null, string tenant = Tenant) =>
        new()
        {
            Evidence = e,
            Tenant = tenant,
            Group = group,
            Severity = severity,
            Confidence = confidence,
            Reason = reason,
            Mailbox = Bob,
            Actor = actor,
            ActorApp = app,
            Details = new Dictionary<string, string> { ["reason"] = reason },
        };

    [Fact]
    public void Raise_SecondFindingWithinMergeGap_JoinsTheOpenAlert()
    {
        var s = new Scenario();
        var collector = new AlertCollector(Gap);

        Alert first = collector.Raise("FW9", "title", FindingOf(s.Read(At(20, 10), id: "a")));
        Alert second = collector.Raise("FW9", "title", FindingOf(s.Read(At(21, 10), id: "b")));

        Assert.Same(first, second);
        Alert alert = Assert.Single(collector.Alerts);
        Assert.Equal(["a", "b"], alert.EvidenceIds);
        Assert.Equal(2, alert.EvidenceCount);
        Assert.Equal(At(20, 10), alert.FirstSeen);
        Assert.Equal(At(21, 10), alert.LastSeen);
        Assert.Same(alert, collector.Open("FW9", Tenant, "g"));
    }

    [Fact]
    public void Raise_FindingAfterMergeGap_OpensNewAlert()
    {
        var s = new Scenario();
        var collector = new AlertCollector(Gap);

        Alert first = collector.Raise("FW9", "title", FindingOf(s.Read(At(20, 10), id: "a")));
        Alert second = collector.Raise("FW9", "title", FindingOf(s.Read(At(21, 10, 1), id: "b")));

        Assert.NotSame(first, second);
        Assert.Equal([first, second], collector.Alerts);
        Assert.Equal(["b"], second.EvidenceIds);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Same(second, collector.Open("FW9", Tenant, "g"));
    }

    [Fact]
    public void Raise_GapMeasuredFromLastEvidence_ChainOfFindingsStaysOneAlert()
    {
        var s = new Scenario();
        var collector = new AlertCollector(Gap);

        collector.Raise("FW9", "title", FindingOf(s.Read(At(20, 10))));
        collector.Raise("FW9", "title", FindingOf(s.Read(At(21, 9))));
        collector.Raise("FW9", "title", FindingOf(s.Read(At(22, 8))));

        Assert.Equal(3, Assert.Single(collector.Alerts).EvidenceCount);
    }

    [Fact]
    public void Raise_OtherGroupDetectionOrTenant_SeparateAlerts()
    {
        var s = new Scenario();
        var collector = new AlertCollector(Gap);
        MailAccessEvent e = s.Read(At(20, 10));

        collector.Raise("FW9", "title", FindingOf(e, group: "g1"));
        collector.Raise("FW9", "title", FindingOf(e, group: "g2"));
        collector.Raise("FW8", "title", FindingOf(e, group: "g1"));
        collector.Raise("FW9", "title", FindingOf(e, group: "g1", tenant: OtherTenant));
        collector.Raise("FW9", "title", FindingOf(e, group: "G1"));

        Assert.Equal(4, collector.Alerts.Count);
        Assert.Equal(2, collector.Open("FW9", Tenant, "g1")!.EvidenceCount);
    }

    [Fact]
    public void Raise_MoreThanMaxEvidence_IdsCappedButAllCounted()
    {
        var s = new Scenario();
        var collector = new AlertCollector(Gap);
        int total = Alert.MaxEvidenceIds + 25;
        for (int i = 0; i < total; i++)
        {
            collector.Raise("FW9", "title", FindingOf(s.Read(At(20, 10).AddSeconds(i), id: $"e{i}")));
        }

        Alert alert = Assert.Single(collector.Alerts);

        Assert.Equal(Alert.MaxEvidenceIds, alert.EvidenceIds.Count);
        Assert.Equal(total, alert.EvidenceCount);
        Assert.Equal("e0", alert.EvidenceIds[0]);
        Assert.Equal($"e{Alert.MaxEvidenceIds - 1}", alert.EvidenceIds[^1]);
        Assert.Equal(At(20, 10).AddSeconds(total - 1), alert.LastSeen);
    }

    [Fact]
    public void Raise_MergedFindings_SeverityAndConfidenceAreTheHighestAndReasonFollowsSeverity()
    {
        var s = new Scenario();
        var collector = new AlertCollector(Gap);

        collector.Raise("FW9", "title", FindingOf(s.Read(At(20, 10)), severity: Severity.Low, confidence: Confidence.High, reason: "low"));
        collector.Raise("FW9", "title", FindingOf(s.Read(At(20, 11)), severity: Severity.High, confidence: Confidence.Low, reason: "high"));
        collector.Raise("FW9", "title", FindingOf(s.Read(At(20, 12)), severity: Severity.Medium, confidence: Confidence.Medium, reason: "medium"));

        Alert alert = Assert.Single(collector.Alerts);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal(Confidence.High, alert.Confidence);
        Assert.Equal("high", alert.Reason);
        Assert.Equal("high", alert.Details["reason"]);
    }

    [Fact]
    public void Raise_LaterFindingOfEqualSeverity_ReasonAndDetailsFollowTheLatest()
    {
        var s = new Scenario();
        var collector = new AlertCollector(Gap);

        collector.Raise("FW9", "title", FindingOf(s.Read(At(20, 10)), severity: Severity.High, reason: "first high"));
        collector.Raise("FW9", "title", FindingOf(s.Read(At(20, 11)), severity: Severity.High, reason: "second high"));
        collector.Raise("FW9", "title", FindingOf(s.Read(At(20, 12)), severity: Severity.Low, reason: "later low"));

        Alert alert = Assert.Single(collector.Alerts);
        Assert.Equal("second high", alert.Reason);
        Assert.Equal("second high", alert.Details["reason"]);
    }

    [Fact]
    public void Raise_ActorScope_KeysTakenOnlyFromTheNamedIdentifiers()
    {
        var s = new Scenario();
        var collector = new AlertCollector(Gap);
        MailAccessEvent e = s.Read(At(20, 10), session: "sess", token: "tok");

        Alert ipOnly = collector.Raise("FW9", "title", FindingOf(e, group: "ip", actor: ActorScope.Ip));
        Alert none = collector.Raise("FW9", "title", FindingOf(e, group: "app", actor: ActorScope.None, app: UnknownApp));

        Assert.Equal([new ActorKey(ActorKind.Ip, AttackerIp)], ipOnly.ActorKeys);
        Assert.Equal([new ActorKey(ActorKind.App, UnknownApp)], none.ActorKeys);
    }

    [Fact]
    public void Raise_FirstEvidence_AttributesTakenFromIt()
    {
        var s = new Scenario();
        var collector = new AlertCollector(Gap);

        Alert alert = collector.Raise("FW9", "Title", FindingOf(s.Read(At(20, 10), session: "sess", userAgent: "ua", clientApp: OtherApp)));

        Assert.Equal(new AlertAttributes(UnknownApp, OtherApp, AttackerIp, "sess", "ua", null), alert.Attributes);
        Assert.StartsWith("FW9-", alert.Id, StringComparison.Ordinal);
        Assert.Equal("Title", alert.Title);
        Assert.Null(alert.Incident);
    }
}
