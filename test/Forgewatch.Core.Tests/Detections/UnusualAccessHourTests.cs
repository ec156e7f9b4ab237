using Forgewatch.Core.Alerts;
using Forgewatch.Core.Detections;
using static Forgewatch.Core.Tests.Detections.Scenario;

namespace Forgewatch.Core.Tests.Detections;

public sealed class UnusualAccessHourTests
{
    /// <summary>Bob's mailbox read by Outlook at 09:00 on days <paramref name="firstDay"/>..<paramref name="lastDay"/>.</summary>
    private static Scenario ReadDaily(int firstDay, int lastDay, int hour = 9)
    {
        var s = new Scenario();
        for (int day = firstDay; day <= lastDay; day++)
        {
            s.Read(At(day, hour), app: OutlookDesktop, ip: HomeIp, id: $"day-{day}");
        }

        return s;
    }

    [Fact]
    public void Observe_ReadAtNewHourAfter15DaysOfBaseline_RaisesLow()
    {
        Scenario s = ReadDaily(1, 15);
        s.Read(At(16, 3, 12), session: "sess-night", id: "night-read");

        Outcome outcome = s.Run(new UnusualAccessHour());

        Alert alert = Assert.Single(outcome.Alerts);
        Assert.Equal("FW1006", alert.Detection);
        Assert.Equal(Severity.Low, alert.Severity);
        Assert.Equal(Confidence.Low, alert.Confidence);
        Assert.Equal(["night-read"], alert.EvidenceIds);
        Assert.Equal(Bob, alert.Mailbox);
        Assert.Equal($"{Bob}|2023-06-16|sess-night", alert.Group);
        Assert.Equal("03", alert.Details["hour_utc"]);
        Assert.Contains(new ActorKey(ActorKind.App, UnknownApp), alert.ActorKeys);
        Assert.Contains(new ActorKey(ActorKind.Ip, AttackerIp), alert.ActorKeys);
        Assert.DoesNotContain(alert.ActorKeys, k => k.Kind is ActorKind.Session or ActorKind.Token);
        Assert.Equal(2, outcome.Evaluated("FW1006"));
    }

    [Fact]
    public void Observe_HourAlreadySeenWithinBaseline_NoAlert()
    {
        Scenario s = ReadDaily(1, 15);
        s.Read(At(5, 3, 40), app: OutlookDesktop, ip: HomeIp);
        s.Read(At(16, 3, 12));

        Outcome outcome = s.Run(new UnusualAccessHour());

        Assert.Empty(outcome.Alerts);
        Assert.Equal(2, outcome.Evaluated("FW1006"));
    }

    [Fact]
    public void Observe_HourLastSeenMoreThan14DaysAgo_Raises()
    {
        var s = new Scenario();
        s.Read(At(1, 3), app: OutlookDesktop, ip: HomeIp, id: "old-night-read");
        for (int day = 2; day <= 15; day++)
        {
            s.Read(At(day, 9), app: OutlookDesktop, ip: HomeIp);
        }

        s.Read(At(16, 3, 30), id: "night-read");

        Alert alert = Assert.Single(s.Run(new UnusualAccessHour()).Alerts);

        Assert.Equal(["night-read"], alert.EvidenceIds);
    }

    [Fact]
    public void Observe_MailboxYoungerThan14Days_NoAlertAndNotEvaluated()
    {
        Scenario s = ReadDaily(1, 12);
        s.Read(At(14, 3));

        Outcome outcome = s.Run(new UnusualAccessHour());

        Assert.Empty(outcome.Alerts);
        Assert.Equal(0, outcome.Evaluated("FW1006"));
        Assert.Equal(13, outcome.Skipped("FW1006", UnusualAccessHour.NoBaseline));
    }

    [Fact]
    public void Observe_MailboxReadOnFourDaysOnly_NoAlert()
    {
        Scenario s = ReadDaily(1, 4);
        s.Read(At(20, 3));

        Outcome outcome = s.Run(new UnusualAccessHour());

        Assert.Empty(outcome.Alerts);
        Assert.Equal(0, outcome.Evaluated("FW1006"));
        Assert.Equal(5, outcome.Skipped("FW1006", UnusualAccessHour.NoBaseline));
    }

    [Fact]
    public void Observe_MailboxReadOnFiveDays_Raises()
    {
        Scenario s = ReadDaily(1, 5);
        s.Read(At(20, 3), id: "night-read");

        Alert alert = Assert.Single(s.Run(new UnusualAccessHour()).Alerts);

        Assert.Equal(["night-read"], alert.EvidenceIds);
    }

    [Fact]
    public void Observe_TwoReadsInSameNewHour_OnlyTheFirstIsEvidence()
    {
        Scenario s = ReadDaily(1, 15);
        s.Read(At(16, 3, 0), id: "first");
        s.Read(At(16, 3, 20), id: "second");

        Alert alert = Assert.Single(s.Run(new UnusualAccessHour()).Alerts);

        Assert.Equal(["first"], alert.EvidenceIds);
    }

    [Fact]
    public void Observe_NewHoursOnTwoDays_TwoAlerts()
    {
        Scenario s = ReadDaily(1, 15);
        s.Read(At(16, 3), id: "night-16");
        s.Read(At(17, 4), id: "night-17");

        Outcome outcome = s.Run(new UnusualAccessHour());

        Assert.Equal([$"{Bob}|2023-06-16|{UnknownApp}", $"{Bob}|2023-06-17|{UnknownApp}"], outcome.Alerts.Select(a => a.Group));
    }

    [Fact]
    public void Observe_TwoReadersAtNewHoursOnOneDay_AnAlertEach()
    {
        // The owner's own late read must not share an alert (and so an incident) with an intruder's.
        Scenario s = ReadDaily(1, 15);
        s.Read(At(16, 2), session: "sess-intruder", id: "intruder");
        s.Read(At(16, 22), session: "sess-owner", id: "owner-late");

        Outcome outcome = s.Run(new UnusualAccessHour());

        Assert.Equal(2, outcome.Alerts.Count);
        Assert.All(outcome.Alerts, a => Assert.Single(a.EvidenceIds));
        Assert.Equal(["intruder", "owner-late"], outcome.Alerts.SelectMany(a => a.EvidenceIds).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Observe_AllowlistedAppAtNewHour_RaisesWithoutAppKey()
    {
        Scenario s = ReadDaily(1, 15);
        s.Read(At(16, 3), app: OutlookDesktop, ip: AttackerIp);

        Alert alert = Assert.Single(s.Run(new UnusualAccessHour()).Alerts);

        Assert.DoesNotContain(alert.ActorKeys, k => k.Kind == ActorKind.App);
        Assert.Contains(new ActorKey(ActorKind.Ip, AttackerIp), alert.ActorKeys);
    }
}
