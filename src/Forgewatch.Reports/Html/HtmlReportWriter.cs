using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Forgewatch.Core.Alerts;
using Forgewatch.Core.Coverage;
using Forgewatch.Core.Events;
using Forgewatch.Core.Exposure;
using Forgewatch.Core.Incidents;
using Forgewatch.Core.Scanning;
using Forgewatch.Reports.Files;

namespace Forgewatch.Reports.Html;

/// <summary>
/// Writes <c>report.html</c>: one self-contained file (inline styles and SVG, no script, no external
/// resource) that a tenant admin can open offline. Incidents first, each with its summary, timeline,
/// per-mailbox exposure and evidence; then what could not be evaluated. Every log-derived value is
/// HTML-encoded after control characters are made visible.
/// </summary>
public static class HtmlReportWriter
{
    public const string FileName = "report.html";

    /// <summary>Exposure lines shown per mailbox; exposure.csv has them all.</summary>
    public const int MaxExposureRows = 200;

    /// <summary>Evidence ids shown per alert; alerts.jsonl has them all.</summary>
    public const int MaxEvidenceIds = 20;

    public static void Write(string directory, InvestigationResult result, CoverageMap coverage, ScanSummary summary)
    {
        using var writer = new StreamWriter(Path.Combine(directory, FileName), false, new UTF8Encoding(false));
        writer.Write(Render(result, coverage, summary));
    }

    public static string Render(InvestigationResult result, CoverageMap coverage, ScanSummary summary)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Forgewatch report</title>");
        html.Append("<style>").Append(Styles).Append("</style></head><body>");
        html.Append("<h1>Forgewatch report</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">{N(summary.Records)} distinct records from {N(summary.Files)} files, {Time(summary.First)} to {Time(summary.Last)} UTC; {N(summary.Tenants)} tenants, {N(summary.Mailboxes)} mailboxes. {N(summary.Rejected)} records rejected, {N(summary.Duplicates)} duplicates counted once.</p>");

        html.Append(CultureInfo.InvariantCulture, $"<h2>Incidents ({result.Incidents.Count})</h2>");
        if (result.Incidents.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>No incidents. {result.Alerts.Count} alerts.</p>");
        }
        else
        {
            html.Append("<table><thead><tr><th>Severity</th><th>Incident</th><th>Tenant</th><th>First seen (UTC)</th><th>Last seen (UTC)</th><th>Mailboxes</th><th>Messages</th><th>Folders synced</th><th>Detections</th></tr></thead><tbody>");
            foreach (Incident incident in result.Incidents)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Badge(incident.Severity)}</td><td><a href=\"#{E(incident.Id)}\">{E(incident.Id)}</a></td><td>{E(incident.Tenant)}</td><td>{Time(incident.FirstSeen)}</td><td>{Time(incident.LastSeen)}</td><td class=\"num\">{incident.Mailboxes.Count}</td><td class=\"num\">{incident.Exposure.Sum(m => m.Messages)}{(incident.Exposure.Any(m => m.Throttled) ? "+" : string.Empty)}</td><td class=\"num\">{incident.Exposure.Sum(m => m.FoldersSynced)}</td><td>{E(string.Join(" ", incident.Detections))}</td></tr>");
            }

            html.Append("</tbody></table>");
            foreach (Incident incident in result.Incidents)
            {
                IncidentSection(html, incident);
            }
        }

        NotEvaluatedSection(html, result, coverage);
        html.Append("<footer>Written by Forgewatch. Values from logs are shown as logged, with control characters made visible; they are attacker-controlled.</footer>");
        html.Append("</body></html>");
        return html.ToString();
    }

    private static void IncidentSection(StringBuilder html, Incident incident)
    {
        html.Append(CultureInfo.InvariantCulture, $"<section class=\"incident\" id=\"{E(incident.Id)}\"><h3>{Badge(incident.Severity)} {E(incident.Id)} <span class=\"meta\">tenant {E(incident.Tenant)}, confidence {incident.Confidence.Name()}</span></h3>");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"summary\">{E(incident.Summary)}</p>");
        html.Append("<h4>Timeline</h4>").Append(TimelineChart.Render(incident));
        html.Append("<p class=\"legend\"><span style=\"color:#2e86de\">&#9608;</span> message read (Bind) <span style=\"color:#e67e22\">&#9608;</span> folder synchronized (Sync) <span style=\"color:#c0392b\">&#9633;</span> throttled record &#9670; alert</p>");

        html.Append("<h4>Exposure by mailbox</h4>");
        if (incident.Exposure.Count == 0)
        {
            html.Append("<p>No mail access by this incident's actor is in the logs read.</p>");
        }
        else
        {
            html.Append("<table><thead><tr><th>Mailbox</th><th>Messages read</th><th>Folders synced</th><th>Folders</th><th>Records</th><th>Throttled</th><th>First (UTC)</th><th>Last (UTC)</th></tr></thead><tbody>");
            foreach (MailboxExposure mailbox in incident.Exposure)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(mailbox.Mailbox)}</td><td class=\"num\">{mailbox.Messages}</td><td class=\"num\">{mailbox.FoldersSynced}</td><td class=\"num\">{mailbox.Folders}</td><td class=\"num\">{mailbox.Records}</td><td>{(mailbox.Throttled ? "<strong>yes: more may have been read</strong>" : "no")}</td><td>{Time(mailbox.First)}</td><td>{Time(mailbox.Last)}</td></tr>");
            }

            html.Append("</tbody></table>");
            foreach (MailboxExposure mailbox in incident.Exposure)
            {
                html.Append(CultureInfo.InvariantCulture, $"<details><summary>What was read in {E(mailbox.Mailbox)} ({mailbox.Entries.Count} lines)</summary><table><thead><tr><th>Time (UTC)</th><th>Access</th><th>Folder</th><th>InternetMessageId</th><th>Throttled</th></tr></thead><tbody>");
                foreach (ExposureEntry entry in mailbox.Entries.Take(MaxExposureRows))
                {
                    string message = entry.AccessType == MailAccessType.Sync ? "<em>whole folder</em>" : E(entry.InternetMessageId);
                    html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Time(entry.Time)}</td><td>{ExposureCsvWriter.AccessTypeName(entry.AccessType)}</td><td>{E(entry.Folder)}</td><td>{message}</td><td>{(entry.Throttled ? "yes" : "no")}</td></tr>");
                }

                html.Append("</tbody></table>");
                if (mailbox.Entries.Count > MaxExposureRows)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{mailbox.Entries.Count - MaxExposureRows} more lines in exposure.csv.</p>");
                }

                html.Append("</details>");
            }
        }

        html.Append("<h4>Evidence</h4><table><thead><tr><th>Alert</th><th>Severity</th><th>Confidence</th><th>First (UTC)</th><th>Last (UTC)</th><th>User</th><th>Mailbox</th><th>Client</th><th>What was seen</th><th>Records</th></tr></thead><tbody>");
        foreach (Alert alert in incident.Alerts)
        {
            AlertAttributes a = alert.Attributes;
            string client = string.Join("<br>", new[] { ("app", a.AppId), ("client app", a.ClientAppId), ("ip", a.Ip), ("session", a.SessionId), ("user agent", a.UserAgent) }
                .Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => $"{p.Item1}: {E(p.Item2)}"));
            string ids = EvidenceIds(alert);

            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(alert.Detection)}<br><small>{E(alert.Id)}</small></td><td>{Badge(alert.Severity)}</td><td>{alert.Confidence.Name()}</td><td>{Time(alert.FirstSeen)}</td><td>{Time(alert.LastSeen)}</td><td class=\"name\">{E(alert.User)}</td><td class=\"name\">{E(alert.Mailbox)}</td><td class=\"small client\">{client}</td><td class=\"seen\">{E(alert.Reason)}</td><td class=\"small\">{ids}</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    /// <summary>The first few record ids, the rest of the shown ones folded away, and a count of those only
    /// alerts.jsonl lists.</summary>
    private static string EvidenceIds(Alert alert)
    {
        const int Visible = 3;
        List<string> shown = [.. alert.EvidenceIds.Take(MaxEvidenceIds).Select(E)];
        string ids = string.Join("<br>", shown.Take(Visible));
        if (shown.Count > Visible)
        {
            ids += $"<details><summary>{shown.Count - Visible} more</summary>{string.Join("<br>", shown.Skip(Visible))}</details>";
        }

        if (alert.EvidenceCount > shown.Count)
        {
            ids += $"<em>{alert.EvidenceCount - shown.Count} more in alerts.jsonl</em>";
        }

        return ids;
    }

    private static void NotEvaluatedSection(StringBuilder html, InvestigationResult result, CoverageMap coverage)
    {
        html.Append("<h2>What could not be evaluated</h2>");
        var rows = new StringBuilder();
        foreach (var entry in result.Evaluation.Entries)
        {
            foreach ((string reason, long records, DateTime first, DateTime last) in entry.NotEvaluated)
            {
                rows.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(entry.Tenant)}</td><td>{E(entry.Detection)}</td><td>{E(reason)}</td><td class=\"num\">{N(records)}</td><td>{Time(first)}</td><td>{Time(last)}</td></tr>");
            }
        }

        foreach (string tenant in coverage.Tenants)
        {
            var seen = coverage.StreamsOf(tenant).Select(s => s.Log).ToHashSet();
            foreach (LogKind missing in CoverageWriter.Essential.Where(l => !seen.Contains(l)))
            {
                rows.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(tenant)}</td><td>all</td><td>no {E(missing.Name())} records were read for this tenant</td><td></td><td></td><td></td></tr>");
            }
        }

        if (rows.Length == 0)
        {
            html.Append("<p>Every detection evaluated every record it applies to.</p>");
            return;
        }

        html.Append("<p>No alert is not the same as nothing happened: these records were not, or could not be, checked. Coverage spans per log are in coverage.json.</p>");
        html.Append("<table><thead><tr><th>Tenant</th><th>Detection</th><th>Why</th><th>Records</th><th>First (UTC)</th><th>Last (UTC)</th></tr></thead><tbody>").Append(rows).Append("</tbody></table>");
    }

    private static string Badge(Severity severity) =>
        $"<span class=\"badge\" style=\"background:{TimelineChart.SeverityColour(severity)}\">{severity.Name()}</span>";

    private static string E(string? text) => HtmlEncoder.Default.Encode(LogText.Escaped(text));

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Time(DateTime? t) => t?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";

    private const string Styles =
        "body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2em;color:#222;max-width:1500px}"
        + "table{border-collapse:collapse;margin:.5em 0 1em;font-size:13px}th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}"
        + "th{background:#f0f2f5;white-space:nowrap}.num{text-align:right}.small{font-size:11px}.client{min-width:16em}.name{min-width:10em}.seen{min-width:22em}.meta{color:#666;font-size:13px;font-weight:normal}"
        + ".badge{color:#fff;border-radius:3px;padding:1px 6px;font-size:12px;font-weight:bold;white-space:nowrap}"
        + ".incident{border-top:3px solid #ccc;margin-top:2em;padding-top:.5em}.summary{background:#fffbe6;border-left:4px solid #e1a100;padding:.6em}"
        + ".note,.legend{color:#666;font-size:12px}svg.timeline{max-width:100%;height:auto;font-family:inherit}footer{margin-top:3em;color:#888;font-size:12px}";
}
