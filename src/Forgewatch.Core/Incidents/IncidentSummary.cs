using System.Globalization;
using System.Text;
using Forgewatch.Core.Alerts;
using Forgewatch.Core.Exposure;

namespace Forgewatch.Core.Incidents;

/// <summary>
/// Writes an incident's one-paragraph summary for the tenant's admins: when, who (the actor's identifiers),
/// what was read, which detections fired, and what to do first. Plain text; log-derived values in it are
/// attacker-controlled and are escaped by whoever renders it.
/// </summary>
public static class IncidentSummary
{
    private const int MaxListed = 3;

    public static string Write(Incident incident, IReadOnlyDictionary<string, string> detectionTitles)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Between {incident.FirstSeen:yyyy-MM-dd HH:mm} and {incident.LastSeen:yyyy-MM-dd HH:mm} UTC, ");
        text.Append(Actor(incident));
        IReadOnlyList<MailboxExposure> exposure = incident.Exposure;
        if (exposure.Count > 0)
        {
            int messages = exposure.Sum(m => m.Messages);
            int synced = exposure.Sum(m => m.FoldersSynced);
            text.Append(CultureInfo.InvariantCulture, $" read {Count(exposure.Count, "mailbox", "mailboxes")} ({List(exposure.Select(m => m.Mailbox))}): ");
            text.Append(CultureInfo.InvariantCulture, $"{Count(messages, "message", "messages")} opened one by one and {Count(synced, "folder", "folders")} synchronized whole, every item of which must be treated as read.");
            if (exposure.Any(m => m.Throttled))
            {
                text.Append(" Auditing was throttled for some of these records, so more may have been read than is listed.");
            }
        }
        else
        {
            IReadOnlyList<string> mailboxes = incident.Mailboxes;
            text.Append(mailboxes.Count > 0
                ? $" acted on {Count(mailboxes.Count, "mailbox", "mailboxes")} ({List(mailboxes)}); no mail access by this actor is in the logs read."
                : " acted in the tenant; no mail access by this actor is in the logs read.");
        }

        IEnumerable<string> fired = incident.Alerts.GroupBy(a => a.Detection)
            .Select(g => $"{(detectionTitles.TryGetValue(g.Key, out string? title) ? title : g.Key)} ({g.Key}, {g.Count()})");
        text.Append(CultureInfo.InvariantCulture, $" Forgewatch raised {Count(incident.Alerts.Count, "alert", "alerts")}: {string.Join("; ", fired)}.");
        text.Append(Advice(incident));
        return text.ToString();
    }

    private static string Actor(Incident incident)
    {
        var parts = new List<string>();
        foreach (IGrouping<ActorKind, ActorKey> kind in incident.ActorKeys.GroupBy(k => k.Kind))
        {
            string noun = kind.Key switch
            {
                ActorKind.App => kind.Count() == 1 ? "application" : "applications",
                ActorKind.Ip => kind.Count() == 1 ? "address" : "addresses",
                ActorKind.Session => kind.Count() == 1 ? "session" : "sessions",
                _ => kind.Count() == 1 ? "token" : "tokens",
            };
            parts.Add($"{noun} {List(kind.Select(k => k.Value))}");
        }

        string users = incident.Users.Count > 0 ? $" acting as {List(incident.Users)}" : string.Empty;
        return parts.Count > 0 ? $"an actor using {string.Join(", ", parts)}{users}" : $"an actor{users}";
    }

    private static string Advice(Incident incident) =>
        incident.Severity >= Severity.Medium
            ? " First steps: revoke the sessions and refresh tokens of the users named, remove any forwarding, rules or grants listed, block the addresses, and review exposure.csv for what must be treated as disclosed."
            : " Review the alerts; on their own they are weak evidence.";

    private static string Count(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{n.ToString(CultureInfo.InvariantCulture)} {many}";

    private static string List(IEnumerable<string> values)
    {
        List<string> all = values.ToList();
        string shown = string.Join(", ", all.Take(MaxListed));
        return all.Count > MaxListed ? $"{shown} and {all.Count - MaxListed} more" : shown;
    }
}
