using Forgewatch.Core.Alerts;
using Forgewatch.Core.Detections;
using static Forgewatch.Core.Tests.Detections.Scenario;

namespace Forgewatch.Core.Tests.Detections;

public sealed class PasswordSprayThenSignInTests
{
    private const string Carol = "carol@contoso.com";
    private const string Dave = "dave@contoso.com";
    private const string OfficeIp = "198.51.100.7";

    private static void Spray(Scenario s, string ip = AttackerIp, int minutesApart = 4, params string[] users)
    {
        for (int i = 0; i < users.Length; i++)
        {
            s.SignIn(At(20, 19, i * minutesApart), user: users[i], ip: ip, succeeded: false, id: $"fail-{i + 1}");
        }
    }

    [Fact]
    public void Observe_ThreeUsersFailFromOneAddress_RaisesMediumCitingEveryFailure()
    {
        var s = new Scenario();
        Spray(s, users: [Alice, Carol, Dave]);

        Outcome outcome = s.Run(new PasswordSprayThenSignIn());

        Alert alert = Assert.Single(outcome.Alerts);
        Assert.Equal("FW1008", alert.Detection);
        Assert.Equal(Severity.Medium, alert.Severity);
        Assert.Equal(["fail-1", "fail-2", "fail-3"], alert.EvidenceIds);
        Assert.Equal(AttackerIp, alert.Group);
        Assert.Equal([new ActorKey(ActorKind.Ip, AttackerIp)], alert.ActorKeys);
        Assert.Equal("3", alert.Details["users_failed"]);
        Assert.Equal(3, outcome.Evaluated("FW1008"));
    }

    [Fact]
    public void Observe_SprayThenSuccessFromTheSameAddress_RaisesHighWithTheSuccessfulSession()
    {
        var s = new Scenario();
        Spray(s, users: [Alice, Carol, Dave]);
        s.SignIn(At(20, 19, 20), user: Bob, ip: AttackerIp, session: "sess-stolen", token: "tok-stolen", id: "guessed");

        Alert alert = Assert.Single(s.Run(new PasswordSprayThenSignIn()).Alerts);

        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal(["fail-1", "fail-2", "fail-3", "guessed"], alert.EvidenceIds);
        Assert.Contains(new ActorKey(ActorKind.Session, "sess-stolen"), alert.ActorKeys);
        Assert.Contains(new ActorKey(ActorKind.Token, "tok-stolen"), alert.ActorKeys);
    }

    [Fact]
    public void Observe_TwoUsersFail_NoAlert()
    {
        var s = new Scenario();
        Spray(s, users: [Alice, Carol]);
        s.SignIn(At(20, 19, 20), user: Bob, ip: AttackerIp);

        Assert.Empty(s.Run(new PasswordSprayThenSignIn()).Alerts);
    }

    [Fact]
    public void Observe_OneUserFailsManyTimes_NoAlert()
    {
        // Someone who forgot their password is not a spray.
        var s = new Scenario();
        Spray(s, users: [Alice, Alice, Alice, Alice, Alice]);

        Assert.Empty(s.Run(new PasswordSprayThenSignIn()).Alerts);
    }

    [Fact]
    public void Observe_FailuresSpreadOverMoreThanTheWindow_NoAlert()
    {
        var s = new Scenario();
        Spray(s, minutesApart: 20, users: [Alice, Carol, Dave]);

        Assert.Empty(s.Run(new PasswordSprayThenSignIn()).Alerts);
    }

    [Fact]
    public void Observe_FailuresFromAnOfficeManySignInFrom_NoAlert()
    {
        // Three people mistyping behind the office's address in half an hour: the address is a known shared one.
        var s = new Scenario();
        foreach (string user in new[] { Alice, Bob, Carol, Dave })
        {
            s.SignIn(At(19, 9), user: user, ip: OfficeIp);
        }

        Spray(s, ip: OfficeIp, users: [Alice, Carol, Dave]);
        s.SignIn(At(20, 19, 20), user: Bob, ip: OfficeIp);

        Assert.Empty(s.Run(new PasswordSprayThenSignIn()).Alerts);
    }

    [Fact]
    public void Observe_SuccessMoreThanADayAfterTheSpray_StaysMedium()
    {
        var s = new Scenario();
        Spray(s, users: [Alice, Carol, Dave]);
        s.SignIn(At(22, 9), user: Bob, ip: AttackerIp, id: "much-later");

        Alert alert = Assert.Single(s.Run(new PasswordSprayThenSignIn()).Alerts);
        Assert.Equal(Severity.Medium, alert.Severity);
        Assert.DoesNotContain("much-later", alert.EvidenceIds);
    }

    [Fact]
    public void Observe_SuccessFromAnotherAddress_NotTheSpraysSuccess()
    {
        var s = new Scenario();
        Spray(s, users: [Alice, Carol, Dave]);
        s.SignIn(At(20, 19, 20), user: Bob, ip: HomeIp, id: "home");

        Alert alert = Assert.Single(s.Run(new PasswordSprayThenSignIn()).Alerts);
        Assert.Equal(Severity.Medium, alert.Severity);
        Assert.DoesNotContain("home", alert.EvidenceIds);
    }

    [Fact]
    public void Observe_ManyDistinctUsersFromOneAddress_StateStaysBounded()
    {
        // Hostile input: a flood of failures for endless users keeps at most the held window.
        var s = new Scenario();
        for (int i = 0; i < 2000; i++)
        {
            s.SignIn(At(20, 19).AddSeconds(i), user: $"user{i}@contoso.com", ip: AttackerIp, succeeded: false);
        }

        Alert alert = Assert.Single(s.Run(new PasswordSprayThenSignIn()).Alerts);
        Assert.True(alert.EvidenceCount >= 2000 - HeldEvidence.MaxHeld, $"{alert.EvidenceCount} failures cited");
    }
}
