using System.Globalization;
using Forgewatch.Core.Alerts;
using Forgewatch.Core.Incidents;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Forgewatch.Reports.Terminal;

/// <summary>Renders incidents as a table, most severe first, for people at a terminal.</summary>
public static class IncidentTableView
{
    /// <summary>At most this many rows; the files hold every incident.</summary>
    public const int MaxRows = 30;

    public static IRenderable Render(IReadOnlyList<Incident> incidents, int alerts)
    {
        if (incidents.Count == 0)
        {
            return new Panel(new Text($"No incidents. {alerts} alerts.")).Header("Incidents");
        }

        var table = new Table().Title($"Incidents ({incidents.Count}, most severe first; {alerts} alerts)").Border(TableBorder.Rounded);
        table.AddColumn("Severity");
        table.AddColumn("Incident");
        table.AddColumn("Tenant");
        table.AddColumn("First seen (UTC)");
        table.AddColumn("Mailboxes");
        table.AddColumn(new TableColumn("Messages").RightAligned());
        table.AddColumn(new TableColumn("Folders synced").RightAligned());
        table.AddColumn("Detections");
        foreach (Incident incident in incidents.Take(MaxRows))
        {
            IReadOnlyList<string> mailboxes = incident.Mailboxes;
            string shown = $"{mailboxes.Count}: " + string.Join(", ", mailboxes.Take(3).Select(m => TerminalText.Safe(LocalPart(m), 24)));
            if (mailboxes.Count > 3)
            {
                shown += ", …";
            }

            bool throttled = incident.Exposure.Any(m => m.Throttled);
            table.AddRow(
                new Markup(SeverityMarkup(incident.Severity)),
                new Text(incident.Id),
                new Text(TerminalText.Safe(incident.Tenant, 13)),
                new Text(incident.FirstSeen.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
                new Text(shown),
                new Text(incident.Exposure.Sum(m => m.Messages).ToString(CultureInfo.InvariantCulture) + (throttled ? "+" : string.Empty)),
                new Text(incident.Exposure.Sum(m => m.FoldersSynced).ToString(CultureInfo.InvariantCulture)),
                new Text(string.Join(" ", incident.Detections)));
        }

        if (incidents.Count > MaxRows)
        {
            table.Caption($"{incidents.Count - MaxRows} more in incidents.jsonl and report.html");
        }
        else if (incidents.Any(i => i.Exposure.Any(m => m.Throttled)))
        {
            table.Caption("+ : auditing was throttled; more may have been read than listed");
        }

        return table;
    }

    /// <summary>The name before the @ (the tenant's domain is the same for all of an incident's mailboxes).</summary>
    private static string LocalPart(string mailbox) => mailbox.IndexOf('@', StringComparison.Ordinal) is > 0 and var at ? mailbox[..at] : mailbox;

    private static string SeverityMarkup(Severity severity) => severity switch
    {
        Severity.Critical => "[bold white on red]critical[/]",
        Severity.High => "[bold red]high[/]",
        Severity.Medium => "[yellow]medium[/]",
        _ => "[grey]low[/]",
    };
}
