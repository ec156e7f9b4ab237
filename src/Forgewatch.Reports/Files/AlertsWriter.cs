using System.Text.Json;
using Forgewatch.Core.Alerts;

namespace Forgewatch.Reports.Files;

/// <summary>Writes <c>alerts.jsonl</c>: one alert a line, earliest first (fields in docs/formats.md).</summary>
public static class AlertsWriter
{
    public const string FileName = "alerts.jsonl";

    public static void Write(string directory, IEnumerable<Alert> alerts)
    {
        using var file = new JsonLinesFile(Path.Combine(directory, FileName));
        foreach (Alert alert in alerts)
        {
            file.WriteLine(w => WriteAlert(w, alert));
        }
    }

    private static void WriteAlert(Utf8JsonWriter w, Alert alert)
    {
        w.WriteString("id", alert.Id);
        w.WriteString("detection", alert.Detection);
        w.WriteString("title", alert.Title);
        w.WriteString("severity", alert.Severity.Name());
        w.WriteString("confidence", alert.Confidence.Name());
        w.WriteString("tenant", alert.Tenant);
        w.WriteString("user", alert.User);
        w.WriteString("mailbox", alert.Mailbox);
        w.WriteString("first_seen", alert.FirstSeen);
        w.WriteString("last_seen", alert.LastSeen);
        w.WriteString("reason", alert.Reason);
        JsonLinesFile.WriteStrings(w, "evidence_ids", alert.EvidenceIds);
        w.WriteNumber("evidence_count", alert.EvidenceCount);
        w.WriteStartObject("attributes");
        WriteIfPresent(w, "app_id", alert.Attributes.AppId);
        WriteIfPresent(w, "client_app_id", alert.Attributes.ClientAppId);
        WriteIfPresent(w, "ip", alert.Attributes.Ip);
        WriteIfPresent(w, "session_id", alert.Attributes.SessionId);
        WriteIfPresent(w, "user_agent", alert.Attributes.UserAgent);
        WriteIfPresent(w, "unique_token_id", alert.Attributes.UniqueTokenId);
        w.WriteEndObject();
        w.WriteStartObject("details");
        foreach ((string name, string value) in alert.Details.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WriteString(name, value);
        }

        w.WriteEndObject();
        JsonLinesFile.WriteStrings(w, "actor_keys", alert.ActorKeys.Select(k => k.ToString()));
        w.WriteString("incident", alert.Incident);
    }

    private static void WriteIfPresent(Utf8JsonWriter w, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            w.WriteString(name, value);
        }
    }
}
