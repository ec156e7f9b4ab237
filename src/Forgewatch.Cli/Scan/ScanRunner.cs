using Forgewatch.Cli.Console;
using Forgewatch.Reports.Files;
using Forgewatch.Reports.Terminal;
using Forgewatch.Sources.Input;
using Forgewatch.Sources.Pipeline;
using Spectre.Console;

namespace Forgewatch.Cli.Scan;

/// <summary>Runs one <c>forgewatch scan</c>: read, summarize, write the output files.</summary>
internal sealed class ScanRunner(IReadOnlyList<string> paths, string outDirectory)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<InputFile> files = InputFiles.Expand(paths, out IReadOnlyList<string> missing);
        if (missing.Count > 0)
        {
            foreach (string path in missing)
            {
                System.Console.Error.WriteLine($"forgewatch: no such file or folder: {TerminalText.Safe(path, 300)}");
            }

            return ExitCodes.UsageOrIoError;
        }

        if (files.Count == 0)
        {
            System.Console.Error.WriteLine("forgewatch: the given folders contain no files to read.");
            return ExitCodes.UsageOrIoError;
        }

        try
        {
            Directory.CreateDirectory(outDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            System.Console.Error.WriteLine($"forgewatch: cannot create the output folder {outDirectory}: {e.Message}");
            return ExitCodes.UsageOrIoError;
        }

        ScanConsumer consumer;
        var reader = new LogReader();
        using (var rejections = new RejectionsWriter(outDirectory))
        {
            consumer = new ScanConsumer(rejections);
            Task reading = reader.ReadAsync(files, consumer.Accept, cancellationToken);
            await ReadProgressDisplay.RunAsync(() => reader.Progress, reading).ConfigureAwait(false);
            await reading.ConfigureAwait(false);
        }

        consumer.Summary.Files = files.Count;
        CoverageWriter.Write(outDirectory, consumer.Coverage);

        IAnsiConsole stdout = AnsiConsole.Console;
        if (System.Console.IsOutputRedirected)
        {
            stdout.Profile.Width = 160;
        }

        stdout.Write(ScanSummaryView.Render(consumer.Summary));
        stdout.WriteLine();
        stdout.Write(new Text($"Rejections: {Path.Combine(outDirectory, RejectionsWriter.FileName)}\nCoverage:   {Path.Combine(outDirectory, CoverageWriter.FileName)}\n"));
        return consumer.HadIoError ? ExitCodes.UsageOrIoError : ExitCodes.Ok;
    }
}
