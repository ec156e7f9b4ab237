using Forgewatch.Core.Alerts;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Engine.Snapshots;
using static Forgewatch.Core.Tests.Detections.Scenario;

namespace Forgewatch.Core.Tests.Detections;

public sealed class ManyMailboxesByOneActorTests
{
    /// <summary>A tenant whose mail-access log starts on day 1 (past the cold start from day 15 on).</summary>
    private static Scenario Warm()
    {
        var s = new Scenario();
        s.Read(At(1, 0), mailbox: "early@contoso.com", app: OutlookDesktop, ip: null, id: "warm-up");
        return s;
    }

    /// <summary>Reads <paramref name="count"/> distinct mailboxes, <paramref name="minutesApart"/> minutes apart.</summary>
    private static List<string> ReadMailboxes(
        Scenario s, int count, DateTime start, string? app = UnknownApp, string? ip = null, string? session = null, int minutesApart = 1, string prefix = "read")
    {
        var ids = new List<string>();
        for (int i = 0; i < count; i++)
        {
            string id = $"{prefix}-{i + 1}";
            s.Read(start.AddMinutes(i * minutesApart), mailbox: $"user{i + 1}@contoso.com", app: app, ip: ip, session: session, id: id);
            ids.Add(id);
        }

        return ids;
    }

    [Fact]
    public void Observe_AppReadsSixMailboxesInFiveMinutes_RaisesHighCitingEveryRead()
    {
        Scenario s = Warm();
        List<string> ids = ReadMailboxes(s, 6, At(20, 2));

        Outcome outcome = s.Run(new ManyMailboxesByOneActor());

        Alert alert = Assert.Single(outcome.Alerts);
        Assert.Equal("FW1005", alert.Detection);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal(Confidence.Medium, alert.Confidence);
        Assert.Equal(ids, alert.EvidenceIds);
        Assert.Equal($"app:{UnknownApp}", alert.Group);
        Assert.Null(alert.Mailbox);
        Assert.Equal([new ActorKey(ActorKind.App, UnknownApp)], alert.ActorKeys);
        Assert.Equal("6", alert.Details["distinct_mailboxes"]);
        Assert.Equal(7, outcome.Evaluated("FW1005"));
    }

    [Fact]
    public void Observe_FiveMailboxesInFiveMinutes_NoAlert()
    {
        Scenario s = Warm();
        ReadMailboxes(s, 5, At(20, 2));

        Outcome outcome = s.Run(new ManyMailboxesByOneActor());

        Assert.Empty(outcome.Alerts);
        Assert.Equal(6, outcome.Evaluated("FW1005"));
    }

    [Fact]
    public void Observe_SixMailboxesOver15Minutes_NoAlert()
    {
        Scenario s = Warm();
        ReadMailboxes(s, 6, At(20, 2), minutesApart: 3);

        Assert.Empty(s.Run(new ManyMailboxesByOneActor()).Alerts);
    }

    [Fact]
    public void Observe_SameMailboxReadSixTimes_NoAlert()
    {
        Scenario s = Warm();
        for (int i = 0; i < 6; i++)
        {
            s.Read(At(20, 2, i));
        }

        Assert.Empty(s.Run(new ManyMailboxesByOneActor()).Alerts);
    }

    [Fact]
    public void Observe_SeventhMailboxInBurst_JoinsTheAlert()
    {
        Scenario s = Warm();
        ReadMailboxes(s, 7, At(20, 2));

        Alert alert = Assert.Single(s.Run(new ManyMailboxesByOneActor()).Alerts);

        Assert.Equal(7, alert.EvidenceCount);
        Assert.Equal("read-7", alert.EvidenceIds[^1]);
    }

    [Fact]
    public void Observe_MailboxReadBeforeTheWindowAndAgainInIt_CountsByItsLatestRead()
    {
        Scenario s = Warm();
        s.Read(At(20, 2, 0), mailbox: "carol@contoso.com", id: "first");
        s.Read(At(20, 2, 9), mailbox: "CAROL@contoso.com", id: "again");
        ReadMailboxes(s, 5, At(20, 2, 11), minutesApart: 0, prefix: "other");

        Alert alert = Assert.Single(s.Run(new ManyMailboxesByOneActor()).Alerts);

        // The first read fell out of the ten minutes; the mailbox still counts by the read at 02:09.
        Assert.Equal("6", alert.Details["distinct_mailboxes"]);
        Assert.Equal(["again", "other-1", "other-2", "other-3", "other-4", "other-5"], alert.EvidenceIds);
    }

    [Fact]
    public void Observe_ThousandReadsOfOneMailboxThenABurst_CitesTheLatestHeldReads()
    {
        Scenario s = Warm();
        for (int i = 0; i < 1_000; i++)
        {
            s.Read(At(20, 2).AddMilliseconds(i * 100), id: $"bob-{i}");
        }

        List<string> burst = ReadMailboxes(s, 5, At(20, 2, 5), minutesApart: 0);

        Alert alert = Assert.Single(s.Run(new ManyMailboxesByOneActor()).Alerts);

        Assert.Equal(HeldEvidence.MaxHeld, alert.EvidenceCount);
        Assert.Equal([.. Enumerable.Range(1_000 - (HeldEvidence.MaxHeld - 5), HeldEvidence.MaxHeld - 5).Select(i => $"bob-{i}"), .. burst], alert.EvidenceIds);
    }

    [Fact]
    public void Observe_ManyReadsOfFewMailboxes_StateGrowsWithTheMailboxesNotTheReads()
    {
        static byte[] StateAfter(int reads)
        {
            Scenario s = Warm();
            for (int i = 0; i < reads; i++)
            {
                s.Read(At(20, 2).AddMilliseconds(i * 10), mailbox: $"user{i % 3}@contoso.com", session: "sess-1");
            }

            return EngineSnapshot.Write(s.Process(new ManyMailboxesByOneActor()));
        }

        // Held evidence stops at 256 reads; before, every read of the window was kept (three times).
        int bounded = StateAfter(HeldEvidence.MaxHeld).Length;
        Assert.InRange(StateAfter(5_000).Length, 0, bounded + (bounded / 10));
    }

    [Fact]
    public void Observe_AllowlistedAppReadsSixMailboxes_NotTrackedAsApp()
    {
        Scenario s = Warm();
        ReadMailboxes(s, 6, At(20, 2), app: OutlookDesktop);

        Outcome outcome = s.Run(new ManyMailboxesByOneActor());

        Assert.Empty(outcome.Alerts);
        Assert.Equal(7, outcome.Evaluated("FW1005"));
    }

    [Fact]
    public void Observe_AllowlistedAppFromOneAddress_RaisesMediumForTheAddressOnly()
    {
        Scenario s = Warm();
        ReadMailboxes(s, 6, At(20, 2), app: OutlookDesktop, ip: AttackerIp);

        Alert alert = Assert.Single(s.Run(new ManyMailboxesByOneActor()).Alerts);

        Assert.Equal($"ip:{AttackerIp}", alert.Group);
        Assert.Equal(Severity.Medium, alert.Severity);
        Assert.Equal(Confidence.Medium, alert.Confidence);
        Assert.Contains(new ActorKey(ActorKind.Ip, AttackerIp), alert.ActorKeys);
        Assert.DoesNotContain(alert.ActorKeys, k => k.Kind == ActorKind.App);
    }

    [Fact]
    public void Observe_OneSessionReadsSixMailboxes_RaisesMediumForTheSession()
    {
        Scenario s = Warm();
        ReadMailboxes(s, 6, At(20, 2), app: OutlookDesktop, session: "sess-spray");

        Alert alert = Assert.Single(s.Run(new ManyMailboxesByOneActor()).Alerts);

        Assert.Equal("session:sess-spray", alert.Group);
        Assert.Equal(Severity.Medium, alert.Severity);
        Assert.Equal(6, alert.EvidenceCount);
        Assert.Contains(new ActorKey(ActorKind.Session, "sess-spray"), alert.ActorKeys);
    }

    [Fact]
    public void Observe_UnknownAppFromOneAddress_RaisesForAppAndForAddress()
    {
        Scenario s = Warm();
        ReadMailboxes(s, 6, At(20, 2), ip: AttackerIp);

        Outcome outcome = s.Run(new ManyMailboxesByOneActor());

        Assert.Equal([$"app:{UnknownApp}", $"ip:{AttackerIp}"], outcome.Alerts.Select(a => a.Group).Order(StringComparer.Ordinal));
        Alert byAddress = Assert.Single(outcome.Alerts, a => a.Group.StartsWith("ip:", StringComparison.Ordinal));
        Assert.Contains(new ActorKey(ActorKind.App, UnknownApp), byAddress.ActorKeys);
    }

    [Fact]
    public void Observe_BurstDuringColdStart_RaisesLowWithLowConfidence()
    {
        var s = new Scenario();
        ReadMailboxes(s, 6, At(20, 2));

        Alert alert = Assert.Single(s.Run(new ManyMailboxesByOneActor()).Alerts);

        Assert.Equal(Severity.Low, alert.Severity);
        Assert.Equal(Confidence.Low, alert.Confidence);
    }

    [Fact]
    public void Observe_ActorBurstAgainAfterEndedBurstWithin14Days_HabitualNoNewFinding()
    {
        Scenario s = Warm();
        ReadMailboxes(s, 6, At(15, 2), prefix: "day15");
        s.Read(At(15, 2, 16), mailbox: "user1@contoso.com", ip: null, id: "after-burst");
        ReadMailboxes(s, 6, At(18, 2), prefix: "day18");

        Alert alert = Assert.Single(s.Run(new ManyMailboxesByOneActor()).Alerts);

        Assert.Equal(6, alert.EvidenceCount);
        Assert.Equal("day15-1", alert.EvidenceIds[0]);
        Assert.Equal(At(15, 2, 5), alert.LastSeen);
    }

    [Fact]
    public void Observe_DailyBatchReadsSixMailboxesAgainThreeDaysLater_HabitualNoNewFinding()
    {
        Scenario s = Warm();
        ReadMailboxes(s, 6, At(15, 2), prefix: "day15");
        ReadMailboxes(s, 6, At(18, 2), prefix: "day18");

        Alert alert = Assert.Single(s.Run(new ManyMailboxesByOneActor()).Alerts);

        Assert.Equal(6, alert.EvidenceCount);
        Assert.Equal(At(15, 2, 5), alert.LastSeen);
    }

    [Fact]
    public void Observe_BurstMoreThan14DaysAfterPreviousOne_RaisesAgain()
    {
        Scenario s = Warm();
        ReadMailboxes(s, 6, At(15, 2), prefix: "day15");
        s.Read(At(15, 2, 16), mailbox: "user1@contoso.com", ip: null, id: "after-burst");
        ReadMailboxes(s, 6, At(30, 2), prefix: "day30");

        Outcome outcome = s.Run(new ManyMailboxesByOneActor());

        Assert.Equal(2, outcome.Alerts.Count);
        Assert.Equal("day30-1", outcome.Alerts[1].EvidenceIds[0]);
    }
}
