using System.CommandLine;
using Forgewatch.Cli.Scan;
using Forgewatch.Reports.Html;
using Forgewatch.Reports.Terminal;
using Forgewatch.Simulator;
using Forgewatch.Simulator.Evaluation;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.Cli.Demo;

/// <summary>
/// <c>forgewatch demo [--out DIR] [--seed S]</c>: the whole story in one command, for a newcomer. It
/// simulates a tenant in which a Storm-0558-style actor reads mail with forged tokens, scans its logs as
/// <c>forgewatch scan</c> would, shows the incidents, and says what the truth was and how much of it the
/// scan found, with the path of the report to open.
/// </summary>
internal static class DemoCommand
{
    private const string ForgedTokenPlaybook = "forged-token";

    public static Command Create()
    {
        var output = new Option<string?>("--out")
        {
            Description = "Folder for the simulated logs (logs/), truth.json and the scan's outputs (scan/); a new temporary folder by default.",
            HelpName = "DIR",
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulated tenant.", DefaultValueFactory = _ => 1, HelpName = "S" };
        var command = new Command("demo", "Simulate a tenant under a forged-token intrusion, scan it, and show what was found against what happened.")
        {
            output,
            seed,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(output), parse.GetValue(seed), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? directory, int seed, CancellationToken cancellationToken)
    {
        directory ??= Path.Combine(Path.GetTempPath(), $"forgewatch-demo-{Guid.NewGuid():N}"[..^24]);
        var options = new SimulationOptions { Seed = seed, Attacks = [ForgedTokenPlaybook] };
        System.Console.WriteLine($"Simulating {options.Mailboxes} mailboxes over {options.Days} days, with a forged-token intrusion somewhere in them, into {directory} ...");
        TruthFile truth;
        try
        {
            truth = Simulation.Run(options, directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            System.Console.Error.WriteLine($"forgewatch: cannot write {TerminalText.Safe(directory, 300)}: {TerminalText.Safe(e.Message, 300)}");
            return ExitCodes.UsageOrIoError;
        }

        System.Console.WriteLine($"Wrote {truth.Records.Values.Sum():N0} audit and sign-in records. Scanning them as 'forgewatch scan' would:");
        System.Console.WriteLine();
        string scanDirectory = Path.Combine(directory, "scan");
        int exit = await new ScanRunner(new ScanOptions { Paths = [Path.Combine(directory, Simulation.LogsFolder)], OutDirectory = scanDirectory })
            .RunAsync(cancellationToken).ConfigureAwait(false);
        if (exit != ExitCodes.Ok)
        {
            return exit;
        }

        ScanEvaluation evaluation = ScanEvaluator.Evaluate(Path.Combine(directory, Simulation.TruthFileName), scanDirectory);
        EvaluationJsonWriter.Write(scanDirectory, evaluation);
        System.Console.WriteLine();
        foreach (TruthAttack attack in truth.Attacks)
        {
            System.Console.WriteLine($"What really happened: from {attack.Began:yyyy-MM-dd HH:mm} UTC an actor with forged tokens read {attack.Mailboxes.Count} mailboxes ({string.Join(", ", attack.Mailboxes.Select(m => m.Split('@')[0]))}): {attack.Exposed.Values.Sum(m => m.Count)} messages one by one, {attack.SyncedFolders.Values.Sum(f => f.Count)} folders synchronized whole.");
        }

        PlaybookScore score = evaluation.Playbooks.Single(p => p.Playbook == ForgedTokenPlaybook);
        System.Console.WriteLine($"What the scan found: {score.DetectedMailboxes} of {score.AttackedMailboxes} mailboxes in an incident of medium severity or above; the messages it lists as read match the truth to {(score.ExposureJaccard ?? 0) * 100:0}% (Jaccard); {evaluation.Benign.FalseIncidents} false incidents among {evaluation.Benign.BenignMailboxDays:N0} benign mailbox-days.");
        System.Console.WriteLine($"Open the report: {Path.Combine(scanDirectory, HtmlReportWriter.FileName)}");
        return ExitCodes.Ok;
    }
}
