using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Forgewatch.Core.Alerts;
using Forgewatch.Core.Events;
using Forgewatch.Core.Exposure;
using Forgewatch.Core.Incidents;

namespace Forgewatch.Reports.Html;

/// <summary>
/// Draws an incident's timeline as inline SVG: a row of alert markers (coloured by severity), then one row
/// per mailbox with a mark per exposed message or folder (Bind blue, Sync orange, throttled outlined red).
/// Marks that fall on the same pixel are drawn once, so the size is bounded whatever the data.
/// </summary>
internal static class TimelineChart
{
    private const int Width = 900;
    private const int Left = 190;
    private const int Right = 20;
    private const int RowHeight = 22;
    private const int MaxMailboxRows = 15;

    public static string Render(Incident incident)
    {
        DateTime start = incident.FirstSeen;
        DateTime end = incident.LastSeen;
        foreach (MailboxExposure mailbox in incident.Exposure)
        {
            start = mailbox.First < start ? mailbox.First : start;
            end = mailbox.Last > end ? mailbox.Last : end;
        }

        if (end - start < TimeSpan.FromMinutes(1))
        {
            end = start + TimeSpan.FromMinutes(1);
        }

        List<MailboxExposure> rows = incident.Exposure.OrderByDescending(m => m.Records).Take(MaxMailboxRows).ToList();
        int height = (rows.Count + 1) * RowHeight + 40;
        double span = (end - start).Ticks;
        double X(DateTime t) => Left + ((t - start).Ticks / span * (Width - Left - Right));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"timeline\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" role=\"img\" aria-label=\"Timeline of {Encode(incident.Id)}\">");
        Row(svg, 0, "alerts");
        var drawn = new HashSet<(int, int)>();
        foreach (Alert alert in incident.Alerts)
        {
            int x = (int)X(alert.FirstSeen);
            if (drawn.Add((0, x)))
            {
                double y = RowHeight / 2.0 + 4;
                svg.Append(CultureInfo.InvariantCulture, $"<path d=\"M{x} {y - 6} L{x + 6} {y} L{x} {y + 6} L{x - 6} {y} Z\" fill=\"{SeverityColour(alert.Severity)}\"><title>{Encode($"{alert.FirstSeen:yyyy-MM-dd HH:mm} {alert.Detection} {alert.Severity.Name()}: {alert.Reason}")}</title></path>");
            }
        }

        for (int i = 0; i < rows.Count; i++)
        {
            int row = i + 1;
            Row(svg, row, rows[i].Mailbox);
            foreach (ExposureEntry entry in rows[i].Entries)
            {
                int x = (int)X(entry.Time);
                if (!drawn.Add((row, x)))
                {
                    continue;
                }

                string fill = entry.AccessType == MailAccessType.Sync ? "#e67e22" : "#2e86de";
                string stroke = entry.Throttled ? " stroke=\"#c0392b\" stroke-width=\"2\"" : string.Empty;
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x - 1}\" y=\"{row * RowHeight + 6}\" width=\"3\" height=\"12\" fill=\"{fill}\"{stroke}/>");
            }
        }

        int axis = (rows.Count + 1) * RowHeight + 14;
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{axis - 10}\" x2=\"{Width - Right}\" y2=\"{axis - 10}\" stroke=\"#999\"/>");
        for (int tick = 0; tick <= 4; tick++)
        {
            DateTime t = start + TimeSpan.FromTicks((long)(span * tick / 4));
            double x = X(t);
            string anchor = tick == 0 ? "start" : tick == 4 ? "end" : "middle";
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0}\" y=\"{axis + 8}\" font-size=\"11\" text-anchor=\"{anchor}\">{t:yyyy-MM-dd HH:mm}</text>");
        }

        svg.Append("</svg>");
        if (incident.Exposure.Count > MaxMailboxRows)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">The chart shows the {MaxMailboxRows} mailboxes with the most records; the table below lists all {incident.Exposure.Count}.</p>");
        }

        return svg.ToString();
    }

    private static void Row(StringBuilder svg, int row, string label)
    {
        int y = row * RowHeight;
        if (row % 2 == 1)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"{y}\" width=\"{Width}\" height=\"{RowHeight}\" fill=\"#f4f6f8\"/>");
        }

        string shown = label.Length > 28 ? label[..27] + "…" : label;
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"{y + 15}\" font-size=\"12\"><title>{Encode(label)}</title>{Encode(shown)}</text>");
    }

    internal static string SeverityColour(Severity severity) => severity switch
    {
        Severity.Critical => "#8e0000",
        Severity.High => "#d63031",
        Severity.Medium => "#e1a100",
        _ => "#7f8c8d",
    };

    private static string Encode(string text) => HtmlEncoder.Default.Encode(LogText.Escaped(text));
}
