using Forgewatch.Core.Alerts;

namespace Forgewatch.Server.Incidents;

/// <summary>An incident as the store keeps it: the columns the API filters on, and the whole incident as JSON
/// (the fields of <c>incidents.jsonl</c>, docs/formats.md). <paramref name="Final"/> when at least one of its
/// alerts was raised on events every log of the tenant already covers (only records older than that horizon
/// could still change it), so it is announced at once; an incident found only on the not yet covered tail
/// is announced once it has stood for the settle time.</summary>
public sealed record StoredIncident(string Tenant, string Id, Severity Severity, DateTime FirstSeen, DateTime LastSeen, string Json, bool Final = false);

/// <summary>What changed for an incident when a tenant's incidents were saved: it is new, or its severity
/// rose. Each change becomes one notification per route.</summary>
public sealed record IncidentChange(string Id, IncidentChangeKind Kind, Severity Severity);

public enum IncidentChangeKind
{
    New,
    SeverityRaised,
}
