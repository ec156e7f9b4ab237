using System.CommandLine;

namespace Forgewatch.Cli.Scan;

/// <summary><c>forgewatch scan PATH... [--out DIR]</c>.</summary>
internal static class ScanCommand
{
    public const string DefaultOut = "forgewatch-out";

    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "Log files or folders (read recursively). Any mix of shapes, gzip or not: the format is recognized from the content.",
        };
        var output = new Option<string>("--out")
        {
            Description = $"Folder for rejected.jsonl and coverage.json (created if needed).",
            DefaultValueFactory = _ => DefaultOut,
            HelpName = "DIR",
        };
        var command = new Command("scan", "Read audit and sign-in logs, summarize them, and write what could not be read and what the logs cover.")
        {
            paths,
            output,
        };
        command.SetAction((parse, cancellationToken) =>
            new ScanRunner(parse.GetValue(paths)!, parse.GetValue(output)!).RunAsync(cancellationToken));
        return command;
    }
}
