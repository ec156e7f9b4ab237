using Forgewatch.Core.Alerts;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Events;
using static Forgewatch.Core.Tests.Detections.Scenario;

namespace Forgewatch.Core.Tests.Detections;

public sealed class SyncBurstFromRareIpTests
{
    private static readonly string[] TenFolders =
        ["\\Inbox", "\\Sent Items", "\\Drafts", "\\Archive", "\\Deleted Items", "\\Projects", "\\Finance", "\\Legal", "\\HR", "\\Board"];

    /// <summary>Syncs the first <paramref name="folders"/> folders one record each, <paramref name="minutesApart"/> apart.</summary>
    private static void SyncFolders(Scenario s, int folders, int minutesApart = 3, DateTime? start = null, string ip = AttackerIp)
    {
        DateTime time = start ?? At(20, 2);
        for (int i = 0; i < folders; i++)
        {
            s.Sync(time.AddMinutes(i * minutesApart), [TenFolders[i]], ip: ip, id: $"sync-{i + 1}");
        }
    }

    private static void SignIns(Scenario s, int count, string ip = AttackerIp, int firstDay = 10)
    {
        for (int i = 0; i < count; i++)
        {
            s.SignIn(At(firstDay, 8).AddHours(i), ip: ip);
        }
    }

    [Fact]
    public void Observe_EightFoldersIn21MinutesFromNewAddress_RaisesMediumCitingTheWholeBurst()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        SyncFolders(s, 8);

        Outcome outcome = s.Run(new SyncBurstFromRareIp());

        Alert alert = Assert.Single(outcome.Alerts);
        Assert.Equal("FW1004", alert.Detection);
        Assert.Equal(Severity.Medium, alert.Severity);
        Assert.Equal(Confidence.High, alert.Confidence);
        Assert.Equal(["sync-1", "sync-2", "sync-3", "sync-4", "sync-5", "sync-6", "sync-7", "sync-8"], alert.EvidenceIds);
        Assert.Equal(Bob, alert.Mailbox);
        Assert.Equal($"{Bob}|{AttackerIp}", alert.Group);
        Assert.Equal("8", alert.Details["distinct_folders"]);
        Assert.Equal("0", alert.Details["sign_ins_from_ip"]);
        Assert.Contains(new ActorKey(ActorKind.Ip, AttackerIp), alert.ActorKeys);
        Assert.Contains(new ActorKey(ActorKind.App, UnknownApp), alert.ActorKeys);
        Assert.Equal(8, outcome.Evaluated("FW1004"));
    }

    [Fact]
    public void Observe_BurstInAReplayedSession_OnlyTheRareAddressNamesTheActor()
    {
        // A stolen token replayed from elsewhere: the session and token are the user's own, so they must not
        // make the user's own reads part of what the attacker read.
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        string[] paths = ["\\Inbox", "\\Sent Items", "\\Drafts", "\\Archive", "\\Finance", "\\Legal", "\\Board", "\\HR"];
        for (int i = 0; i < paths.Length; i++)
        {
            s.Read(At(20, 2).AddMinutes(i * 3), app: UnknownApp, session: "sess-bob", token: "tok-bob", type: MailAccessType.Sync, folders: [new AccessedFolder(paths[i], [])]);
        }

        Alert alert = Assert.Single(s.Run(new SyncBurstFromRareIp()).Alerts);
        Assert.Contains(new ActorKey(ActorKind.Ip, AttackerIp), alert.ActorKeys);
        Assert.DoesNotContain(alert.ActorKeys, k => k.Kind is ActorKind.Session or ActorKind.Token);
    }

    [Fact]
    public void Observe_SevenFolders_NoAlert()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        SyncFolders(s, 7);

        Outcome outcome = s.Run(new SyncBurstFromRareIp());

        Assert.Empty(outcome.Alerts);
        Assert.Equal(7, outcome.Evaluated("FW1004"));
    }

    [Fact]
    public void Observe_EightFoldersInOneRecord_Raises()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        s.Sync(At(20, 2), TenFolders[..8], id: "bulk-sync");

        Alert alert = Assert.Single(s.Run(new SyncBurstFromRareIp()).Alerts);

        Assert.Equal(["bulk-sync"], alert.EvidenceIds);
    }

    [Fact]
    public void Observe_SameFolderSyncedEightTimes_NoAlert()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        for (int i = 0; i < 8; i++)
        {
            s.Sync(At(20, 2, i), ["\\Inbox"]);
        }

        Assert.Empty(s.Run(new SyncBurstFromRareIp()).Alerts);
    }

    [Fact]
    public void Observe_EightFoldersSpreadOver35Minutes_NoAlert()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        SyncFolders(s, 8, minutesApart: 5);

        Assert.Empty(s.Run(new SyncBurstFromRareIp()).Alerts);
    }

    [Fact]
    public void Observe_EightFoldersExactly30MinutesApartEnds_Raises()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        SyncFolders(s, 7, minutesApart: 4);
        s.Sync(At(20, 2, 30), [TenFolders[7]], id: "sync-8");

        Alert alert = Assert.Single(s.Run(new SyncBurstFromRareIp()).Alerts);

        Assert.Equal(8, alert.EvidenceCount);
    }

    [Fact]
    public void Observe_BindRecordsOfEightFolders_NoAlert()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        for (int i = 0; i < 8; i++)
        {
            s.Read(At(20, 2, i), folders: [Folder(TenFolders[i], $"<m{i}@contoso.com>")]);
        }

        Assert.Empty(s.Run(new SyncBurstFromRareIp()).Alerts);
    }

    [Fact]
    public void Observe_ElevenSignInsFromAddressIn14Days_NoAlert()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        SignIns(s, 11);
        SyncFolders(s, 8);

        Outcome outcome = s.Run(new SyncBurstFromRareIp());

        Assert.Empty(outcome.Alerts);
        Assert.Equal(8, outcome.Evaluated("FW1004"));
    }

    [Fact]
    public void Observe_TenSignInsFromAddressIn14Days_RaisesWithMediumConfidence()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        SignIns(s, 10);
        SyncFolders(s, 8);

        Alert alert = Assert.Single(s.Run(new SyncBurstFromRareIp()).Alerts);

        Assert.Equal(Severity.Medium, alert.Severity);
        Assert.Equal(Confidence.Medium, alert.Confidence);
        Assert.Equal("10", alert.Details["sign_ins_from_ip"]);
    }

    [Fact]
    public void Observe_ElevenSignInsFromAnotherAddress_Raises()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        SignIns(s, 11, ip: HomeIp);
        SyncFolders(s, 8);

        Alert alert = Assert.Single(s.Run(new SyncBurstFromRareIp()).Alerts);

        Assert.Equal("0", alert.Details["sign_ins_from_ip"]);
    }

    [Fact]
    public void Observe_ElevenSignInsOlderThan14Days_Raises()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        SignIns(s, 11, firstDay: 1);
        SyncFolders(s, 8);

        Alert alert = Assert.Single(s.Run(new SyncBurstFromRareIp()).Alerts);

        Assert.Equal("0", alert.Details["sign_ins_from_ip"]);
    }

    [Fact]
    public void Observe_ElevenFailedSignInsFromAddress_Raises()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        for (int i = 0; i < 11; i++)
        {
            s.SignIn(At(15, 8).AddHours(i), ip: AttackerIp, succeeded: false);
        }

        SyncFolders(s, 8);

        Assert.Single(s.Run(new SyncBurstFromRareIp()).Alerts);
    }

    [Fact]
    public void Observe_NoSignInCoverage_NotEvaluatedAndNoAlert()
    {
        var s = new Scenario { Coverage = FakeCoverage.Nothing };
        SyncFolders(s, 8);

        Outcome outcome = s.Run(new SyncBurstFromRareIp());

        Assert.Empty(outcome.Alerts);
        Assert.Equal(0, outcome.Evaluated("FW1004"));
        Assert.Equal(8, outcome.Skipped("FW1004", SyncBurstFromRareIp.SignInsNotCovered));
    }

    [Fact]
    public void Observe_SignInsCoverBurstButNotBaseline_LowConfidence()
    {
        var s = new Scenario { Coverage = new FakeCoverage(LogKind.EntraInteractiveSignIn) { From = At(19, 0) } };
        SyncFolders(s, 8);

        Alert alert = Assert.Single(s.Run(new SyncBurstFromRareIp()).Alerts);

        Assert.Equal(Confidence.Low, alert.Confidence);
        Assert.Equal("false", alert.Details["sign_in_baseline_complete"]);
    }

    [Fact]
    public void Observe_MoreSyncsAfterBurst_JoinTheSameAlert()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        SyncFolders(s, 10);

        Alert alert = Assert.Single(s.Run(new SyncBurstFromRareIp()).Alerts);

        Assert.Equal(10, alert.EvidenceCount);
        Assert.Equal("sync-10", alert.EvidenceIds[^1]);
    }
}
