using System.Text.Json;
using Forgewatch.Core.Alerts;
using Forgewatch.Core.Exposure;
using Forgewatch.Core.Incidents;

namespace Forgewatch.Reports.Files;

/// <summary>Writes <c>incidents.jsonl</c>: one incident a line, most severe first (fields in docs/formats.md).</summary>
public static class IncidentsWriter
{
    public const string FileName = "incidents.jsonl";

    public static void Write(string directory, IEnumerable<Incident> incidents)
    {
        using var file = new JsonLinesFile(Path.Combine(directory, FileName));
        foreach (Incident incident in incidents)
        {
            file.WriteLine(w => WriteMembers(w, incident));
        }
    }

    /// <summary>The members of one incident, as in <c>incidents.jsonl</c>, into an object the caller has
    /// started: the server's incidents API answers with the same fields.</summary>
    public static void WriteMembers(Utf8JsonWriter w, Incident incident)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(incident);
        w.WriteString("id", incident.Id);
        w.WriteString("tenant", incident.Tenant);
        w.WriteString("severity", incident.Severity.Name());
        w.WriteString("confidence", incident.Confidence.Name());
        w.WriteString("first_seen", incident.FirstSeen);
        w.WriteString("last_seen", incident.LastSeen);
        w.WriteString("summary", incident.Summary);
        JsonLinesFile.WriteStrings(w, "detections", incident.Detections);
        JsonLinesFile.WriteStrings(w, "alert_ids", incident.Alerts.Select(a => a.Id));
        JsonLinesFile.WriteStrings(w, "mailboxes", incident.Mailboxes);
        JsonLinesFile.WriteStrings(w, "users", incident.Users);
        JsonLinesFile.WriteStrings(w, "actor_keys", incident.ActorKeys.Select(k => k.ToString()));
        w.WriteStartArray("timeline");
        foreach (Alert alert in incident.Alerts)
        {
            w.WriteStartObject();
            w.WriteString("time", alert.FirstSeen);
            w.WriteString("until", alert.LastSeen);
            w.WriteString("alert", alert.Id);
            w.WriteString("detection", alert.Detection);
            w.WriteString("severity", alert.Severity.Name());
            w.WriteString("mailbox", alert.Mailbox);
            w.WriteString("reason", alert.Reason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("exposure");
        foreach (MailboxExposure mailbox in incident.Exposure)
        {
            w.WriteStartObject();
            w.WriteString("mailbox", mailbox.Mailbox);
            w.WriteNumber("messages", mailbox.Messages);
            w.WriteNumber("folders_synced", mailbox.FoldersSynced);
            w.WriteNumber("folders", mailbox.Folders);
            w.WriteNumber("records", mailbox.Records);
            w.WriteBoolean("throttled", mailbox.Throttled);
            w.WriteString("first", mailbox.First);
            w.WriteString("last", mailbox.Last);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
