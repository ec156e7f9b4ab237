using System.Globalization;
using Forgewatch.Reports.Terminal;
using Forgewatch.Simulator.Evaluation;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Forgewatch.Cli.Evaluate;

/// <summary>Renders a <see cref="ScanEvaluation"/> as one table, a row per playbook and one over all, for people.</summary>
internal static class EvaluationTableView
{
    public static IRenderable Render(ScanEvaluation evaluation)
    {
        var table = new Table().Title("Evaluation against the truth, per playbook").Border(TableBorder.Rounded);
        table.AddColumn("Playbook");
        table.AddColumn(new TableColumn("Attacks").RightAligned());
        table.AddColumn(new TableColumn("Mailboxes detected").RightAligned());
        table.AddColumn(new TableColumn("Recall").RightAligned());
        table.AddColumn(new TableColumn("False incidents / 1000 mailbox-days").RightAligned());
        table.AddColumn(new TableColumn("Exposure Jaccard").RightAligned());
        table.AddColumn(new TableColumn("First alert index (median)").RightAligned());
        table.AddColumn(new TableColumn("Attacks not alerted").RightAligned());
        foreach (PlaybookScore score in evaluation.Playbooks)
        {
            // Playbook names come from the truth file: printed as text, never as markup.
            AddRow(table, new Text(TerminalText.Safe(score.Playbook, 40)), score);
        }

        AddRow(table, new Markup("[bold]overall[/]"), evaluation.Overall);
        BenignScore benign = evaluation.Benign;
        return new Rows(
            table,
            new Text(
                $"False incidents: {benign.FalseIncidents:N0} of {benign.Incidents:N0} incidents of medium severity or above, "
                + $"over {benign.BenignMailboxDays:N0} mailbox-days without an attack.\n"
                + "Recall and exposure count each mailbox of each attack; the first-alert index is how many malicious records came before the first one the first alert cites."));
    }

    private static void AddRow(Table table, IRenderable name, PlaybookScore score) => table.AddRow(
        name,
        new Text(score.Attacks.ToString("N0", CultureInfo.InvariantCulture)),
        new Text($"{score.DetectedMailboxes.ToString("N0", CultureInfo.InvariantCulture)} of {score.AttackedMailboxes.ToString("N0", CultureInfo.InvariantCulture)}"),
        new Text(Number(score.Recall, "0.000")),
        new Text(Number(score.FalseIncidentsPer1000MailboxDays, "0.000")),
        new Text(Number(score.ExposureJaccard, "0.000")),
        new Text(Number(score.FirstAlertRecordIndexMedian, "0.#")),
        new Text(score.UndetectedAttacks.ToString("N0", CultureInfo.InvariantCulture)));

    private static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";
}
