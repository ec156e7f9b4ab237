using System.Text.Json;
using Forgewatch.Core.Alerts;

namespace Forgewatch.Simulator.Evaluation;

/// <summary>The members of an <c>incidents.jsonl</c> line that scoring uses (docs/formats.md, "incidents.jsonl").</summary>
internal sealed record ScanIncident(string Id, string Tenant, Severity Severity, IReadOnlyList<string> AlertIds, IReadOnlyList<string> Mailboxes)
{
    public const string FileName = "incidents.jsonl";

    /// <summary>Only these count as detections and as false incidents: a low incident is a lead, not an alarm.</summary>
    public bool IsMediumOrAbove => Severity >= Severity.Medium;

    public static ScanIncident Parse(JsonElement line)
    {
        string severity = JsonFields.String(line, "severity");
        if (!SeverityNames.TryParse(severity, out Severity parsed))
        {
            throw new InvalidDataException($"'severity' is '{severity}', not low, medium, high or critical.");
        }

        return new ScanIncident(
            JsonFields.String(line, "id"),
            JsonFields.String(line, "tenant"),
            parsed,
            JsonFields.Strings(line, "alert_ids"),
            JsonFields.Strings(line, "mailboxes"));
    }
}
