using System.Globalization;
using Forgewatch.Core.Events;
using Forgewatch.Core.Scanning;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Forgewatch.Reports.Terminal;

/// <summary>Renders a <see cref="ScanSummary"/> as tables for people.</summary>
public static class ScanSummaryView
{
    public static IRenderable Render(ScanSummary summary)
    {
        var overview = new Grid().AddColumn().AddColumn(new GridColumn().RightAligned());
        overview.AddRow("Files", Number(summary.Files));
        overview.AddRow("Records read", Number(summary.Records + summary.Duplicates));
        overview.AddRow("Duplicates (counted once)", Number(summary.Duplicates));
        overview.AddRow("Distinct records", Number(summary.Records));
        overview.AddRow("Rejected records", Number(summary.Rejected));
        overview.AddRow("Files not read to the end", Number(summary.FilesWithErrors));
        overview.AddRow("Tenants", Number(summary.Tenants));
        overview.AddRow("Mailboxes", Number(summary.Mailboxes));
        overview.AddRow("Users", Number(summary.Users));
        overview.AddRow("First record (UTC)", Time(summary.First));
        overview.AddRow("Last record (UTC)", Time(summary.Last));

        var table = new Table().Title("Records by source shape and operation").Border(TableBorder.Rounded);
        table.AddColumn("Source shape");
        table.AddColumn("Operation");
        table.AddColumn(new TableColumn("Records").RightAligned());
        foreach (var group in summary.ByShapeAndOperation
            .OrderBy(p => p.Key.Shape)
            .ThenByDescending(p => p.Value)
            .ThenBy(p => p.Key.Operation, StringComparer.Ordinal))
        {
            table.AddRow(new Text(group.Key.Shape.Name()), new Text(TerminalText.Safe(group.Key.Operation)), new Text(Number(group.Value)));
        }

        return new Rows(new Panel(overview).Header("Scan summary"), table);
    }

    private static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Time(DateTime? t) => t?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";
}
