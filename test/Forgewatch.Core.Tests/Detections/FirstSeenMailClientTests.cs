using Forgewatch.Core.Alerts;
using Forgewatch.Core.Detections;
using static Forgewatch.Core.Tests.Detections.Scenario;

namespace Forgewatch.Core.Tests.Detections;

public sealed class FirstSeenMailClientTests
{
    /// <summary>Bob's mailbox and the tenant have read history from day 1 (Outlook, allowlisted).</summary>
    private static Scenario Established()
    {
        var s = new Scenario();
        s.Read(At(1, 9), app: OutlookDesktop, ip: HomeIp, id: "baseline-bob");
        s.Read(At(1, 9, 30), mailbox: Alice, app: OutlookDesktop, ip: HomeIp, id: "baseline-alice");
        return s;
    }

    [Fact]
    public void Observe_AppNewToEstablishedTenant_RaisesHighWithHighConfidence()
    {
        Scenario s = Established();
        s.Read(At(20, 3), session: "sess-forged", token: "tok-1", id: "forged-read");

        Outcome outcome = s.Run(new FirstSeenMailClient());

        Alert alert = Assert.Single(outcome.Alerts);
        Assert.Equal("FW1001", alert.Detection);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal(Confidence.High, alert.Confidence);
        Assert.Equal(["forged-read"], alert.EvidenceIds);
        Assert.Equal(Bob, alert.Mailbox);
        Assert.Equal(Tenant, alert.Tenant);
        Assert.Equal($"{Bob}|{UnknownApp}", alert.Group);
        Assert.Equal(
            new HashSet<ActorKey>
            {
                new(ActorKind.App, UnknownApp),
                new(ActorKind.Session, "sess-forged"),
                new(ActorKind.Token, "tok-1"),
                new(ActorKind.Ip, AttackerIp),
            },
            alert.ActorKeys.ToHashSet());
        Assert.Equal("true", alert.Details["app_new_to_tenant"]);
        Assert.Equal("false", alert.Details["tenant_cold_start"]);
        Assert.Equal(3, outcome.Evaluated("FW1001"));
    }

    [Fact]
    public void Observe_AllowlistedFirstPartyApp_NoAlert()
    {
        Scenario s = Established();
        s.Read(At(20, 3), app: "27922004-5251-4030-b22d-91ecd9a37ea4");

        Outcome outcome = s.Run(new FirstSeenMailClient());

        Assert.Empty(outcome.Alerts);
        Assert.Equal(3, outcome.Evaluated("FW1001"));
    }

    [Fact]
    public void Observe_AppAddedToAllowlistByOption_NoAlert()
    {
        var s = new Scenario { Options = new DetectionOptions { AllowedApps = FirstPartyMailApps.With([UnknownApp]) } };
        s.Read(At(1, 9), app: OutlookDesktop);
        s.Read(At(20, 3));

        Assert.Empty(s.Run(new FirstSeenMailClient()).Alerts);
    }

    [Fact]
    public void Observe_AppReadSameMailboxWithin14Days_OnlyTheFirstReadIsEvidence()
    {
        Scenario s = Established();
        s.Read(At(16, 3), id: "first-read");
        s.Read(At(29, 3), id: "read-13-days-later");

        Alert alert = Assert.Single(s.Run(new FirstSeenMailClient()).Alerts);

        Assert.Equal(["first-read"], alert.EvidenceIds);
        Assert.Equal(1, alert.EvidenceCount);
    }

    [Fact]
    public void Observe_AppIdInOtherCaseReadMailboxWithin14Days_NoNewFinding()
    {
        Scenario s = Established();
        s.Read(At(16, 3), id: "first-read");
        s.Read(At(18, 3), app: UnknownApp.ToUpperInvariant(), id: "upper-case-read");

        Alert alert = Assert.Single(s.Run(new FirstSeenMailClient()).Alerts);

        Assert.Equal(["first-read"], alert.EvidenceIds);
    }

    [Fact]
    public void Observe_AppLastReadMailbox15DaysAgo_RaisesMediumAgain()
    {
        Scenario s = Established();
        s.Read(At(16, 3), id: "first-read");
        s.Read(At(31, 3), id: "read-15-days-later");

        Outcome outcome = s.Run(new FirstSeenMailClient());

        Assert.Equal(2, outcome.Alerts.Count);
        Alert second = outcome.Alerts[1];
        Assert.Equal(["read-15-days-later"], second.EvidenceIds);
        Assert.Equal(Severity.Medium, second.Severity);
        Assert.Equal(Confidence.Medium, second.Confidence);
        Assert.Equal("false", second.Details["app_new_to_tenant"]);
    }

    [Fact]
    public void Observe_AppKnownToTenantButNewToMailbox_RaisesMedium()
    {
        var s = new Scenario();
        s.Read(At(1, 9), app: OutlookDesktop, ip: HomeIp);
        s.Read(At(1, 10), mailbox: Alice, id: "app-reads-alice");
        s.Read(At(20, 3), id: "app-reads-bob");

        Outcome outcome = s.Run(new FirstSeenMailClient());

        Alert bob = Assert.Single(outcome.Alerts, a => a.Mailbox == Bob);
        Assert.Equal(Severity.Medium, bob.Severity);
        Assert.Equal(Confidence.Medium, bob.Confidence);
        Assert.Equal(["app-reads-bob"], bob.EvidenceIds);
    }

    [Fact]
    public void Observe_NewAppOnYoungMailboxOfEstablishedTenant_HighWithMediumConfidence()
    {
        Scenario s = Established();
        s.Read(At(19, 9), mailbox: "carol@contoso.com", app: OutlookDesktop, ip: HomeIp);
        s.Read(At(20, 3), mailbox: "carol@contoso.com", id: "forged-read");

        Alert alert = Assert.Single(s.Run(new FirstSeenMailClient()).Alerts);

        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal(Confidence.Medium, alert.Confidence);
        Assert.Equal("true", alert.Details["mailbox_cold_start"]);
    }

    [Fact]
    public void Observe_TenantLogShorterThanBaseline_RaisesLowColdStart()
    {
        var s = new Scenario();
        s.Read(At(1, 9), app: OutlookDesktop, ip: HomeIp);
        s.Read(At(10, 3), id: "early-read");

        Alert alert = Assert.Single(s.Run(new FirstSeenMailClient()).Alerts);

        Assert.Equal(Severity.Low, alert.Severity);
        Assert.Equal(Confidence.Low, alert.Confidence);
        Assert.Equal(["early-read"], alert.EvidenceIds);
        Assert.Equal("true", alert.Details["tenant_cold_start"]);
    }

    [Fact]
    public void Observe_AllowlistedAppIdWithUnknownClientAppId_RaisesForClientAppId()
    {
        Scenario s = Established();
        s.Read(At(20, 3), app: ExchangeOnline, clientApp: OtherApp, id: "owa-client");

        Alert alert = Assert.Single(s.Run(new FirstSeenMailClient()).Alerts);

        Assert.Equal($"{Bob}|{OtherApp}", alert.Group);
        Assert.Contains(new ActorKey(ActorKind.App, OtherApp), alert.ActorKeys);
        Assert.DoesNotContain(new ActorKey(ActorKind.App, ExchangeOnline), alert.ActorKeys);
        Assert.Equal(OtherApp, alert.Details["new_app"]);
    }

    [Fact]
    public void Observe_SameAppInTwoTenants_EachTenantJudgedOnItsOwnBaseline()
    {
        Scenario s = Established();
        s.Read(At(1, 9), app: OutlookDesktop, tenant: OtherTenant, mailbox: "dan@fabrikam.com");
        s.Read(At(20, 3), id: "t1-read");
        s.Read(At(20, 4), tenant: OtherTenant, mailbox: "dan@fabrikam.com", id: "t2-read");

        Outcome outcome = s.Run(new FirstSeenMailClient());

        Assert.Equal(2, outcome.Alerts.Count);
        Assert.Equal([Tenant, OtherTenant], outcome.Alerts.Select(a => a.Tenant));
        Assert.All(outcome.Alerts, a => Assert.Equal(Severity.High, a.Severity));
    }
}
