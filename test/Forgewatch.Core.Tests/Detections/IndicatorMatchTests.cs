using Forgewatch.Core.Alerts;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Indicators;
using static Forgewatch.Core.Tests.Detections.Scenario;

namespace Forgewatch.Core.Tests.Detections;

public sealed class IndicatorMatchTests
{
    private const string StormProxy = "146.70.157.45";
    private const string RestClient = "Client=REST;Client=RESTSystem;;";
    private const string StormChrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/92.0.4515.159 Safari/537.36";

    private static IndicatorSet Custom(params Indicator[] indicators)
    {
        var set = new IndicatorSet();
        foreach (Indicator indicator in indicators)
        {
            set.Add(indicator);
        }

        return set;
    }

    [Fact]
    public void Observe_MailReadFromStormProxyAddress_RaisesHighWithMediumConfidence()
    {
        var s = new Scenario { Indicators = Storm0558Indicators.Create() };
        s.Read(At(20, 3), ip: StormProxy, session: "sess-1", id: "proxy-read");

        Alert alert = Assert.Single(s.Run(new IndicatorMatch()).Alerts);

        Assert.Equal("FW1003", alert.Detection);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal(Confidence.Medium, alert.Confidence);
        Assert.Equal(["proxy-read"], alert.EvidenceIds);
        Assert.Equal(Bob, alert.Mailbox);
        Assert.Equal($"{StormProxy}|{Bob}", alert.Group);
        Assert.Equal(StormProxy, alert.Details["indicator_ip"]);
        // The address is accused, not the session it carried (which may be a real user's, replayed).
        Assert.Equal([new ActorKey(ActorKind.Ip, StormProxy)], alert.ActorKeys);
    }

    [Fact]
    public void Observe_WeakRestUserAgentAlone_NoAlertButEvaluated()
    {
        var s = new Scenario { Indicators = Storm0558Indicators.Create() };
        s.Read(At(20, 3), ip: HomeIp, userAgent: RestClient);

        Outcome outcome = s.Run(new IndicatorMatch());

        Assert.Empty(outcome.Alerts);
        Assert.Equal(1, outcome.Evaluated("FW1003"));
    }

    [Fact]
    public void Observe_WeakUserAgentWithStormAddress_UserAgentAddedToEvidence()
    {
        var s = new Scenario { Indicators = Storm0558Indicators.Create() };
        s.Read(At(20, 3), ip: StormProxy, userAgent: RestClient);

        Alert alert = Assert.Single(s.Run(new IndicatorMatch()).Alerts);

        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal(RestClient, alert.Details["indicator_user_agent"]);
        Assert.Equal($"{StormProxy}|{Bob}", alert.Group);
    }

    [Fact]
    public void Observe_StrongUserAgentTokenAlone_RaisesLowWithLowConfidence()
    {
        var s = new Scenario { Indicators = Storm0558Indicators.Create() };
        s.Read(At(20, 3), ip: HomeIp, userAgent: StormChrome, id: "chrome-read");

        Alert alert = Assert.Single(s.Run(new IndicatorMatch()).Alerts);

        Assert.Equal(Severity.Low, alert.Severity);
        Assert.Equal(Confidence.Low, alert.Confidence);
        Assert.Equal(["chrome-read"], alert.EvidenceIds);
        Assert.Equal("Chrome/92.0.4515.159", alert.Details["indicator_user_agent"]);
    }

    [Fact]
    public void Observe_AddressInsideAddedCidrRange_Raises()
    {
        var s = new Scenario { Indicators = Custom(new Indicator(IndicatorKind.IpNetwork, "203.0.113.0/24", "iocs.csv:2", "actor VPN range")) };
        s.Read(At(20, 3), ip: "203.0.113.77", id: "range-read");
        s.Read(At(20, 4), ip: "203.0.114.1", id: "outside-range");

        Outcome outcome = s.Run(new IndicatorMatch());

        Alert alert = Assert.Single(outcome.Alerts);
        Assert.Equal(["range-read"], alert.EvidenceIds);
        Assert.Equal("203.0.113.0/24", alert.Details["indicator_ip"]);
        Assert.Equal("iocs.csv:2", alert.Details["indicator_ip_source"]);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal(2, outcome.Evaluated("FW1003"));
    }

    [Fact]
    public void Observe_AppIdIndicator_RaisesWithAppActorKey()
    {
        var s = new Scenario { Indicators = Custom(new Indicator(IndicatorKind.AppId, UnknownApp, "iocs.csv:3")) };
        s.Read(At(20, 3), ip: HomeIp, id: "app-read");

        Alert alert = Assert.Single(s.Run(new IndicatorMatch()).Alerts);

        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal(Confidence.Medium, alert.Confidence);
        Assert.Contains(new ActorKey(ActorKind.App, UnknownApp), alert.ActorKeys);
        Assert.Equal(UnknownApp, alert.Details["indicator_app"]);
    }

    [Fact]
    public void Observe_FailedSignInFromStormAddress_RaisesMedium()
    {
        var s = new Scenario { Indicators = Storm0558Indicators.Create() };
        s.SignIn(At(20, 3), ip: StormProxy, succeeded: false, id: "failed-sign-in");

        Alert alert = Assert.Single(s.Run(new IndicatorMatch()).Alerts);

        Assert.Equal(Severity.Medium, alert.Severity);
        Assert.Null(alert.Mailbox);
        Assert.Equal(["failed-sign-in"], alert.EvidenceIds);
    }

    [Fact]
    public void Observe_SuccessfulSignInFromStormAddress_RaisesHigh()
    {
        var s = new Scenario { Indicators = Storm0558Indicators.Create() };
        s.SignIn(At(20, 3), ip: StormProxy);

        Assert.Equal(Severity.High, Assert.Single(s.Run(new IndicatorMatch()).Alerts).Severity);
    }

    [Fact]
    public void Observe_StormSetHasKeyIds_EveryRecordCountedAsNotEvaluatedForKeys()
    {
        var s = new Scenario { Indicators = Storm0558Indicators.Create() };
        s.Read(At(20, 3), ip: HomeIp);
        s.SignIn(At(20, 4));
        s.Read(At(20, 5), ip: StormProxy);

        Outcome outcome = s.Run(new IndicatorMatch());

        Assert.Equal(3, outcome.Evaluated("FW1003"));
        Assert.Equal(3, outcome.Skipped("FW1003", IndicatorMatch.NoKeyIds));
        Assert.Single(outcome.Alerts);
    }

    [Fact]
    public void Observe_SetWithoutKeyIds_NothingCountedAsNotEvaluated()
    {
        var s = new Scenario { Indicators = Custom(new Indicator(IndicatorKind.IpAddress, "192.0.2.1", "iocs.csv:2")) };
        s.Read(At(20, 3), ip: HomeIp);

        Outcome outcome = s.Run(new IndicatorMatch());

        Assert.Equal(1, outcome.Evaluated("FW1003"));
        Assert.Equal(0, outcome.Evaluation.NotEvaluatedTotal("FW1003"));
        Assert.Empty(outcome.Alerts);
    }

    [Fact]
    public void Observe_NoIndicators_NothingEvaluated()
    {
        var s = new Scenario();
        s.Read(At(20, 3), ip: StormProxy);

        Outcome outcome = s.Run(new IndicatorMatch());

        Assert.Empty(outcome.Alerts);
        Assert.Empty(outcome.Evaluation.Entries);
    }

    [Fact]
    public void Observe_AdminOperationFromStormAddress_RaisesHighWithoutMailbox()
    {
        var s = new Scenario { Indicators = Storm0558Indicators.Create() };
        s.Admin(At(20, 3), "New-InboxRule", ip: StormProxy, id: "rule");

        Alert alert = Assert.Single(s.Run(new IndicatorMatch()).Alerts);

        Assert.Equal(Severity.High, alert.Severity);
        Assert.Null(alert.Mailbox);
        Assert.Equal(Eve, alert.User);
    }
}
