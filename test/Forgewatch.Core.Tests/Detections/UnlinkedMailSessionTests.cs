using Forgewatch.Core.Alerts;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Snapshots;
using Forgewatch.Core.Events;
using static Forgewatch.Core.Tests.Detections.Scenario;

namespace Forgewatch.Core.Tests.Detections;

public sealed class UnlinkedMailSessionTests
{
    private const string Session = "sess-0558";
    private const string Token = "tok-0558";

    [Fact]
    public void Judge_SessionNoSignInCreated_RaisesHighWithHighConfidence()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        s.SignIn(At(20, 8), session: "another-session");
        s.Read(At(20, 10), session: Session, token: Token, id: "forged-read");

        Outcome outcome = s.Run(new UnlinkedMailSession());

        Alert alert = Assert.Single(outcome.Alerts);
        Assert.Equal("FW1002", alert.Detection);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal(Confidence.High, alert.Confidence);
        Assert.Equal(["forged-read"], alert.EvidenceIds);
        Assert.Equal(Bob, alert.Mailbox);
        Assert.Equal(Session, alert.Group);
        Assert.Equal(
            new HashSet<ActorKey>
            {
                new(ActorKind.Session, Session),
                new(ActorKind.Token, Token),
                new(ActorKind.Ip, AttackerIp),
                new(ActorKind.App, UnknownApp),
            },
            alert.ActorKeys.ToHashSet());
        Assert.Equal("interactive and non-interactive", alert.Details["sign_in_logs"]);
        Assert.Equal(1, outcome.Evaluated("FW1002"));
    }

    [Fact]
    public void Judge_OnlyInteractiveSignInsCovered_MediumConfidence()
    {
        var s = new Scenario { Coverage = new FakeCoverage(LogKind.EntraInteractiveSignIn) };
        s.Read(At(20, 10), session: Session);

        Alert alert = Assert.Single(s.Run(new UnlinkedMailSession()).Alerts);

        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal(Confidence.Medium, alert.Confidence);
        Assert.Equal("interactive only", alert.Details["sign_in_logs"]);
    }

    [Fact]
    public void Judge_SignInOfSameUserWithin24Hours_NoAlert()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        s.SignIn(At(19, 11), session: Session);
        s.Read(At(20, 10), session: Session);

        Outcome outcome = s.Run(new UnlinkedMailSession());

        Assert.Empty(outcome.Alerts);
        Assert.Equal(1, outcome.Evaluated("FW1002"));
    }

    [Fact]
    public void Observe_AccessAlreadyLinked_JudgedAtOnceWhileAnUnlinkedOneWaits()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        s.SignIn(At(20, 9), session: Session);
        s.Read(At(20, 10), session: Session, id: "linked-read");
        s.Read(At(20, 10, 1), session: "sess-unknown", id: "unlinked-read");
        var detection = new UnlinkedMailSession();

        DetectionEngine engine = s.Process(detection);

        // Not yet five minutes of event time after the reads: only the linked one is judged.
        var outcome = new Outcome(engine.Context, engine.Events);
        Assert.Equal(1, outcome.Evaluated("FW1002"));
        Assert.Empty(outcome.Alerts);
        engine.Finish();
        Assert.Equal(2, outcome.Evaluated("FW1002"));
        Assert.Equal(["unlinked-read"], Assert.Single(outcome.Alerts).EvidenceIds);
    }

    [Fact]
    public void Observe_ManyLinkedAccesses_StateDoesNotGrowWithThem()
    {
        byte[] StateAfter(int reads)
        {
            var s = new Scenario { Coverage = FakeCoverage.SignIns };
            s.SignIn(At(20, 9), session: Session);
            for (int i = 0; i < reads; i++)
            {
                s.Read(At(20, 10).AddMilliseconds(i), session: Session);
            }

            return EngineSnapshot.Write(s.Process(new UnlinkedMailSession()));
        }

        // Before, every access of the last five minutes waited in the state, each written in full.
        Assert.InRange(StateAfter(2_000).Length, 0, StateAfter(20).Length + 64);
    }

    [Fact]
    public void Judge_SignInOfSameUser25HoursBefore_Raises()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        s.SignIn(At(19, 9), session: Session);
        s.Read(At(20, 10), session: Session, id: "late-read");

        Alert alert = Assert.Single(s.Run(new UnlinkedMailSession()).Alerts);

        Assert.Equal(["late-read"], alert.EvidenceIds);
    }

    [Fact]
    public void Judge_SessionSignedInByAnotherUser_Raises()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        s.SignIn(At(20, 9), user: Alice, session: Session);
        s.Read(At(20, 10), session: Session, id: "bob-read");

        Alert alert = Assert.Single(s.Run(new UnlinkedMailSession()).Alerts);

        Assert.Equal(["bob-read"], alert.EvidenceIds);
        Assert.Equal(Bob, alert.User);
    }

    [Fact]
    public void Judge_SessionSignedInWithUserNameInOtherCase_NoAlert()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        s.SignIn(At(20, 9), user: "Bob@Contoso.com", session: Session);
        s.Read(At(20, 10), session: Session);

        Assert.Empty(s.Run(new UnlinkedMailSession()).Alerts);
    }

    [Fact]
    public void Judge_SignInNamingNoTenant_AttributedByUserDomainAndLinks()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        s.SignIn(At(20, 9), session: Session, tenant: null);
        s.Read(At(20, 10), session: Session);

        Outcome outcome = s.Run(new UnlinkedMailSession());

        Assert.Empty(outcome.Alerts);
        Assert.Equal(1, outcome.Evaluated("FW1002"));
    }

    [Fact]
    public void Judge_SessionSignedInInAnotherTenant_Raises()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        s.SignIn(At(20, 9), session: Session, tenant: OtherTenant);
        s.Read(At(20, 10), session: Session, id: "t1-read");

        Alert alert = Assert.Single(s.Run(new UnlinkedMailSession()).Alerts);

        Assert.Equal(Tenant, alert.Tenant);
    }

    [Fact]
    public void Judge_FailedSignInCarriedSession_Raises()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        s.SignIn(At(20, 9), session: Session, succeeded: false);
        s.Read(At(20, 10), session: Session);

        Assert.Single(s.Run(new UnlinkedMailSession()).Alerts);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    public void Judge_SignInLoggedWithinToleranceAfterAccess_NoAlert(int minutesAfter)
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        s.Read(At(20, 10), session: Session);
        s.SignIn(At(20, 10, minutesAfter), session: Session);
        s.Read(At(20, 12), mailbox: Alice, session: "alice-session", id: "unrelated");
        s.SignIn(At(20, 12), user: Alice, session: "alice-session");

        Assert.Empty(s.Run(new UnlinkedMailSession()).Alerts);
    }

    [Fact]
    public void Judge_SignInLoggedSixMinutesAfterAccess_Raises()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        s.Read(At(20, 10), session: Session, id: "read-before-sign-in");
        s.SignIn(At(20, 10, 6), session: Session);

        Alert alert = Assert.Single(s.Run(new UnlinkedMailSession()).Alerts);

        Assert.Equal(["read-before-sign-in"], alert.EvidenceIds);
    }

    [Fact]
    public void Judge_TokenOfSignIn_Links()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        s.SignIn(At(20, 9), token: Token);
        s.Read(At(20, 10), token: Token);

        Outcome outcome = s.Run(new UnlinkedMailSession());

        Assert.Empty(outcome.Alerts);
        Assert.Equal(1, outcome.Evaluated("FW1002"));
    }

    [Fact]
    public void Judge_TokenOnlyAndUnlinked_RaisesGroupedByToken()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        s.Read(At(20, 10), token: Token);

        Alert alert = Assert.Single(s.Run(new UnlinkedMailSession()).Alerts);

        Assert.Equal(Token, alert.Group);
        Assert.Equal(string.Empty, alert.Details["aad_session_id"]);
        Assert.Equal(Token, alert.Details["unique_token_id"]);
    }

    [Fact]
    public void Judge_ServicePrincipalSignInCarriedToken_NoAlert()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        s.SignIn(At(20, 9), user: "svc-mailer", token: Token, log: LogKind.EntraServicePrincipalSignIn);
        s.Read(At(20, 10), token: Token);

        Assert.Empty(s.Run(new UnlinkedMailSession()).Alerts);
    }

    [Fact]
    public void Judge_NoSignInCoverage_NotEvaluatedAndNoAlert()
    {
        var s = new Scenario { Coverage = FakeCoverage.Nothing };
        s.Read(At(20, 10), session: Session);
        s.Read(At(20, 11), session: Session);

        Outcome outcome = s.Run(new UnlinkedMailSession());

        Assert.Empty(outcome.Alerts);
        Assert.Equal(0, outcome.Evaluated("FW1002"));
        Assert.Equal(2, outcome.Skipped("FW1002", UnlinkedMailSession.SignInsNotCovered));
        Assert.Equal(2, outcome.Evaluation.NotEvaluatedTotal("FW1002"));
    }

    [Fact]
    public void Judge_SignInLogsStartAfterLookbackStart_NotEvaluated()
    {
        var s = new Scenario { Coverage = new FakeCoverage(LogKind.EntraInteractiveSignIn, LogKind.EntraNonInteractiveSignIn) { From = At(20, 0) } };
        s.Read(At(20, 10), session: Session);

        Outcome outcome = s.Run(new UnlinkedMailSession());

        Assert.Empty(outcome.Alerts);
        Assert.Equal(1, outcome.Skipped("FW1002", UnlinkedMailSession.SignInsNotCovered));
    }

    [Fact]
    public void Judge_RealCoverageMapWithoutSignInLogs_NotEvaluated()
    {
        var s = new Scenario();
        s.Read(At(20, 10), session: Session);

        Outcome outcome = s.Run(new UnlinkedMailSession());

        Assert.Empty(outcome.Alerts);
        Assert.Equal(1, outcome.Skipped("FW1002", UnlinkedMailSession.SignInsNotCovered));
    }

    [Fact]
    public void Judge_RealCoverageMapWithSignInsAroundAccess_Raises()
    {
        var s = new Scenario();
        s.SignIn(At(19, 8), user: Alice, session: "alice-1");
        s.SignIn(At(19, 8), user: Alice, session: "alice-1", log: LogKind.EntraNonInteractiveSignIn);
        s.SignIn(At(20, 8), user: Alice, session: "alice-2");
        s.SignIn(At(20, 8), user: Alice, session: "alice-2", log: LogKind.EntraNonInteractiveSignIn);
        s.Read(At(20, 9, 5), session: Session, id: "forged-read");
        s.SignIn(At(20, 10), user: Alice, session: "alice-3");
        s.SignIn(At(20, 10), user: Alice, session: "alice-3", log: LogKind.EntraNonInteractiveSignIn);

        Outcome outcome = s.Run(new UnlinkedMailSession());

        Alert alert = Assert.Single(outcome.Alerts);
        Assert.Equal(["forged-read"], alert.EvidenceIds);
        Assert.Equal(Confidence.High, alert.Confidence);
        Assert.Equal(1, outcome.Evaluated("FW1002"));
    }

    [Fact]
    public void Judge_NoSessionOrToken_NotEvaluated()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        s.Read(At(20, 10));

        Outcome outcome = s.Run(new UnlinkedMailSession());

        Assert.Empty(outcome.Alerts);
        Assert.Equal(1, outcome.Skipped("FW1002", UnlinkedMailSession.NoIdentifier));
    }

    [Fact]
    public void Judge_AllowlistedAppOnUnlinkedSession_AlertNamesNoApp()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        s.Read(At(20, 10), app: ExchangeOnline, session: Session);

        Alert alert = Assert.Single(s.Run(new UnlinkedMailSession()).Alerts);

        Assert.DoesNotContain(alert.ActorKeys, k => k.Kind == ActorKind.App);
        Assert.Contains(new ActorKey(ActorKind.Session, Session), alert.ActorKeys);
    }

    [Fact]
    public void Judge_SeveralReadsOfOneUnlinkedSession_OneAlertWithAllEvidence()
    {
        var s = new Scenario { Coverage = FakeCoverage.SignIns };
        s.Read(At(20, 10), session: Session, id: "a");
        s.Read(At(20, 10, 30), session: Session, id: "b");
        s.Read(At(20, 11), mailbox: Alice, session: Session, id: "c");

        Alert alert = Assert.Single(s.Run(new UnlinkedMailSession()).Alerts);

        Assert.Equal(["a", "b", "c"], alert.EvidenceIds);
        Assert.Equal(3, alert.EvidenceCount);
        Assert.Equal(At(20, 11), alert.LastSeen);
    }
}
