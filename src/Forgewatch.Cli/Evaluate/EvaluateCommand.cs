using System.CommandLine;
using Forgewatch.Cli.Console;
using Forgewatch.Reports.Terminal;
using Forgewatch.Simulator.Evaluation;
using Spectre.Console;

namespace Forgewatch.Cli.Evaluate;

/// <summary><c>forgewatch evaluate --truth FILE --results DIR</c>: scores a scan's outputs against a simulation's truth.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var truth = new Option<string>("--truth")
        {
            Description = "The truth.json of the simulation that was scanned.",
            HelpName = "FILE",
            Required = true,
        };
        var results = new Option<string>("--results")
        {
            Description = "The --out folder of the forgewatch scan (alerts.jsonl, incidents.jsonl, exposure.csv); evaluation.json is written there.",
            HelpName = "DIR",
            Required = true,
        };
        var command = new Command("evaluate", "Score a scan's detections against the truth of a simulation: recall, false incidents, exposure found and how soon the first alert came, per playbook.")
        {
            truth,
            results,
        };
        command.SetAction(parse => Run(parse.GetValue(truth)!, parse.GetValue(results)!));
        return command;
    }

    /// <summary>Exit 0 whatever the scores: a poor score is a result, not a failure of the command.</summary>
    private static int Run(string truthPath, string resultsDirectory)
    {
        ScanEvaluation evaluation;
        try
        {
            evaluation = ScanEvaluator.Evaluate(truthPath, resultsDirectory);
        }
        catch (EvaluationInputException e)
        {
            // The message names the file and line; paths and ids in it come from files, so print them safely.
            System.Console.Error.WriteLine($"forgewatch: {TerminalText.Safe(e.Message, 500)}");
            return ExitCodes.UsageOrIoError;
        }

        string written;
        try
        {
            written = EvaluationJsonWriter.Write(resultsDirectory, evaluation);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            System.Console.Error.WriteLine($"forgewatch: cannot write {TerminalText.Safe(Path.Combine(resultsDirectory, EvaluationJsonWriter.FileName), 300)}: {TerminalText.Safe(e.Message, 300)}");
            return ExitCodes.UsageOrIoError;
        }

        IAnsiConsole stdout = ResultConsole.Standard();

        stdout.Write(EvaluationTableView.Render(evaluation));
        stdout.WriteLine();
        stdout.Write(new Text($"Evaluation: {written}\n"));
        return ExitCodes.Ok;
    }
}
