using Forgewatch.Core.Alerts;
using Forgewatch.Core.Incidents;
using Forgewatch.Core.Tests.Detections;
using static Forgewatch.Core.Tests.Detections.Scenario;

namespace Forgewatch.Core.Tests.Incidents;

public sealed class IncidentBuilderTests
{
    private readonly Scenario _records = new();
    private readonly AlertCollector _collector = new(TimeSpan.FromHours(24));

    /// <summary>Raises an alert of <paramref name="detection"/> whose actor is the record's address (and
    /// session and app, when given).</summary>
    private Alert Raise(
        string detection, DateTime time, Severity severity, string? ip = AttackerIp, string? app = null, string? session = null,
        string tenant = Tenant, Confidence confidence = Confidence.Medium, string? group = null)
    {
        var e = _records.Read(time, ip: ip, session: session, tenant: tenant);
        return _collector.Raise(detection, detection, new Finding
        {
            Evidence = e,
            Tenant = tenant,
            Group = group ?? $"{detection}|{ip}|{app}|{session}",
            Severity = severity,
            Confidence = confidence,
            Reason = "seen",
            Mailbox = Bob,
            Actor = ActorScope.Ip | ActorScope.Session,
            ActorApp = app,
        });
    }

    [Fact]
    public void Build_TwoDetectionsSharingAnAddress_OneIncidentEscalatedOneStep()
    {
        Alert first = Raise("FW1001", At(20, 10), Severity.Medium, confidence: Confidence.High);
        Alert second = Raise("FW1003", At(20, 11), Severity.Medium);

        Incident incident = Assert.Single(IncidentBuilder.Build(_collector.Alerts));

        Assert.Equal(Severity.High, incident.Severity);
        Assert.Equal(Confidence.High, incident.Confidence);
        Assert.Equal([first, second], incident.Alerts);
        Assert.Equal(["FW1001", "FW1003"], incident.Detections);
        Assert.Equal([new ActorKey(ActorKind.Ip, AttackerIp)], incident.ActorKeys);
        Assert.Equal(Tenant, incident.Tenant);
        Assert.Equal(At(20, 10), incident.FirstSeen);
        Assert.Equal(At(20, 11), incident.LastSeen);
        Assert.StartsWith("INC-", incident.Id, StringComparison.Ordinal);
        Assert.Equal(incident.Id, first.Incident);
        Assert.Equal(incident.Id, second.Incident);
    }

    [Fact]
    public void Build_SameAddressInTwoTenants_TwoIncidents()
    {
        Alert t1 = Raise("FW1001", At(20, 10), Severity.High);
        Alert t2 = Raise("FW1003", At(20, 11), Severity.High, tenant: OtherTenant);

        IReadOnlyList<Incident> incidents = IncidentBuilder.Build(_collector.Alerts);

        Assert.Equal(2, incidents.Count);
        Assert.All(incidents, i => Assert.Equal(Severity.High, i.Severity));
        Assert.All(incidents, i => Assert.Single(i.Alerts));
        Assert.NotNull(t1.Incident);
        Assert.NotNull(t2.Incident);
        Assert.NotEqual(t1.Incident, t2.Incident);
        Assert.Equal([Tenant, OtherTenant], incidents.Select(i => i.Tenant));
    }

    [Fact]
    public void Build_SameSessionInTwoTenants_TwoIncidents()
    {
        Raise("FW1002", At(20, 10), Severity.High, ip: null, session: "sess-1");
        Raise("FW1002", At(20, 11), Severity.High, ip: null, session: "sess-1", tenant: OtherTenant);

        Assert.Equal(2, IncidentBuilder.Build(_collector.Alerts).Count);
    }

    [Fact]
    public void Build_AlertsWithoutSharedKey_SeparateIncidentsNotEscalated()
    {
        Raise("FW1001", At(20, 10), Severity.Medium, ip: "192.0.2.1");
        Raise("FW1003", At(20, 11), Severity.Medium, ip: "192.0.2.2");

        IReadOnlyList<Incident> incidents = IncidentBuilder.Build(_collector.Alerts);

        Assert.Equal(2, incidents.Count);
        Assert.All(incidents, i => Assert.Equal(Severity.Medium, i.Severity));
    }

    [Fact]
    public void Build_TwoLowDetectionsSharingASession_OneIncidentNotEscalated()
    {
        Raise("FW1006", At(20, 10), Severity.Low, session: "sess-1");
        Raise("FW1003", At(20, 11), Severity.Low, ip: HomeIp, session: "sess-1");

        Incident incident = Assert.Single(IncidentBuilder.Build(_collector.Alerts));

        Assert.Equal(Severity.Low, incident.Severity);
        Assert.Equal(2, incident.Alerts.Count);
    }

    [Fact]
    public void Build_LowAlertsSharingOnlyAnAddress_NoIncident()
    {
        Alert first = Raise("FW1006", At(20, 10), Severity.Low);
        Alert second = Raise("FW1003", At(20, 11), Severity.Low);

        Assert.Empty(IncidentBuilder.Build(_collector.Alerts));
        Assert.Null(first.Incident);
        Assert.Null(second.Incident);
    }

    [Fact]
    public void Build_LowAlertSharingOnlyAddressOfMediumAlert_JoinsItWithoutEscalating()
    {
        Alert medium = Raise("FW1004", At(20, 10), Severity.Medium);
        Alert low = Raise("FW1006", At(20, 11), Severity.Low, app: OtherApp);

        Incident incident = Assert.Single(IncidentBuilder.Build(_collector.Alerts));

        Assert.Equal(Severity.Medium, incident.Severity);
        Assert.Equal([medium, low], incident.Alerts);
        Assert.Equal(incident.Id, low.Incident);
        Assert.Equal([new ActorKey(ActorKind.Ip, AttackerIp)], incident.ActorKeys);
    }

    [Fact]
    public void Build_LowAlertWithAddressesOfTwoMediumGroups_DoesNotMergeThem()
    {
        Raise("FW1004", At(20, 10), Severity.Medium, ip: "192.0.2.1");
        Raise("FW1001", At(20, 10, 30), Severity.Medium, ip: "192.0.2.2");
        Alert low = Raise("FW1006", At(20, 11), Severity.Low, ip: "192.0.2.1", group: "night");
        Raise("FW1006", At(20, 11, 30), Severity.Low, ip: "192.0.2.2", group: "night");
        Assert.Equal(2, low.ActorKeys.Count);

        IReadOnlyList<Incident> incidents = IncidentBuilder.Build(_collector.Alerts);

        Assert.Equal(2, incidents.Count);
    }

    [Fact]
    public void Build_SingleLowAlert_NoIncident()
    {
        Alert low = Raise("FW1006", At(20, 10), Severity.Low, session: "sess-1");

        Assert.Empty(IncidentBuilder.Build(_collector.Alerts));
        Assert.Null(low.Incident);
    }

    [Fact]
    public void Build_TwoAlertsOfOneDetection_NotEscalated()
    {
        Raise("FW1001", At(20, 10), Severity.Medium, group: "a");
        Raise("FW1001", At(20, 11), Severity.Medium, group: "b");

        Incident incident = Assert.Single(IncidentBuilder.Build(_collector.Alerts));

        Assert.Equal(Severity.Medium, incident.Severity);
        Assert.Equal(2, incident.Alerts.Count);
    }

    [Fact]
    public void Build_CriticalAndHighAgree_StaysCritical()
    {
        Raise("FW1002", At(20, 10), Severity.Critical);
        Raise("FW1003", At(20, 11), Severity.High);

        Assert.Equal(Severity.Critical, Assert.Single(IncidentBuilder.Build(_collector.Alerts)).Severity);
    }

    [Fact]
    public void Build_KeysChainedThroughAThirdAlert_OneIncident()
    {
        Raise("FW1001", At(20, 10), Severity.Medium, ip: "192.0.2.1", app: UnknownApp);
        Raise("FW1002", At(20, 11), Severity.High, ip: "192.0.2.2");
        Raise("FW1005", At(20, 12), Severity.Medium, ip: "192.0.2.2", app: UnknownApp.ToUpperInvariant());

        Incident incident = Assert.Single(IncidentBuilder.Build(_collector.Alerts));

        Assert.Equal(3, incident.Alerts.Count);
        Assert.Equal(Severity.Critical, incident.Severity);
        Assert.All(_collector.Alerts, a => Assert.Equal(incident.Id, a.Incident));
    }

    [Fact]
    public void Build_SeveralIncidents_MostSevereFirstThenEarliest()
    {
        Raise("FW1006", At(20, 8), Severity.Low, ip: "192.0.2.1");
        Raise("FW1003", At(20, 9), Severity.High, ip: "192.0.2.2");
        Raise("FW1004", At(20, 7), Severity.Medium, ip: "192.0.2.3");
        Raise("FW1001", At(20, 10), Severity.High, ip: "192.0.2.4");

        IReadOnlyList<Incident> incidents = IncidentBuilder.Build(_collector.Alerts);

        Assert.Equal(
            [(Severity.High, At(20, 9)), (Severity.High, At(20, 10)), (Severity.Medium, At(20, 7))],
            incidents.Select(i => (i.Severity, i.FirstSeen)));
    }

    [Fact]
    public void Build_NoAlerts_NoIncidents()
    {
        Assert.Empty(IncidentBuilder.Build([]));
    }
}
