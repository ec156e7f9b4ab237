using Forgewatch.Cli.Console;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Spool;
using Forgewatch.Core.Indicators;
using Forgewatch.Core.Scanning;
using Forgewatch.Reports.Files;
using Forgewatch.Reports.Html;
using Forgewatch.Reports.Terminal;
using Forgewatch.Sources.Input;
using Forgewatch.Sources.Pipeline;
using Spectre.Console;

namespace Forgewatch.Cli.Scan;

/// <summary>Runs one <c>forgewatch scan</c>: read, detect, group, work out exposure, write the outputs.</summary>
internal sealed class ScanRunner(ScanOptions options)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        StageTimer.Start();
        if (options.Since is { } since && options.Until is { } until && until <= since)
        {
            System.Console.Error.WriteLine("forgewatch: --until must be later than --since.");
            return ExitCodes.UsageOrIoError;
        }

        IReadOnlyList<InputFile> files = InputFiles.Expand(options.Paths, out IReadOnlyList<string> missing);
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

        IndicatorSet? indicators = IndicatorLoader.Load(options.IndicatorFiles, System.Console.Error, out int indicatorsRejected);
        if (indicators is null)
        {
            return ExitCodes.UsageOrIoError;
        }

        string outDirectory = options.OutDirectory;
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
        InvestigationResult result;
        using var spool = new EventSpool();
        try
        {
            consumer = await ReadAsync(files, spool, outDirectory, cancellationToken).ConfigureAwait(false);
            StageTimer.Mark("read");
            result = Investigate(consumer, indicators);
            StageTimer.Mark("investigate");
            WriteOutputs(outDirectory, consumer, result);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Inputs that cannot be read are rejections; this is the spool's temporary file or an output.
            System.Console.Error.WriteLine($"forgewatch: cannot write {TerminalText.Safe(outDirectory, 300)} or the temporary spool file: {TerminalText.Safe(e.Message, 300)}");
            return ExitCodes.UsageOrIoError;
        }

        IAnsiConsole stdout = ResultConsole.Standard();

        stdout.Write(ScanSummaryView.Render(consumer.Summary));
        stdout.WriteLine();
        stdout.Write(IncidentTableView.Render(result.Incidents, result.Alerts.Count));
        stdout.WriteLine();
        string Out(string name) => Path.Combine(outDirectory, name);
        stdout.Write(new Text(
            $"Examined:   {result.Events:N0} events" + (consumer.OutsideTimeRange > 0 ? $" ({consumer.OutsideTimeRange:N0} outside --since/--until not examined)" : string.Empty)
            + (indicatorsRejected > 0 ? $"; {indicatorsRejected} indicator file entries not used (see above)" : string.Empty) + "\n"
            + $"Report:     {Out(HtmlReportWriter.FileName)}\n"
            + $"Incidents:  {Out(IncidentsWriter.FileName)}\n"
            + $"Alerts:     {Out(AlertsWriter.FileName)}\n"
            + $"Exposure:   {Out(ExposureCsvWriter.FileName)}\n"
            + $"Rejections: {Out(RejectionsWriter.FileName)}\n"
            + $"Coverage:   {Out(CoverageWriter.FileName)}\n"));

        if (options.FailOn is { } failOn && result.Incidents.Any(i => i.Severity >= failOn))
        {
            return ExitCodes.IncidentFound;
        }

        return consumer.HadIoError ? ExitCodes.UsageOrIoError : ExitCodes.Ok;
    }

    private async Task<ScanConsumer> ReadAsync(IReadOnlyList<InputFile> files, EventSpool spool, string outDirectory, CancellationToken cancellationToken)
    {
        var reader = new LogReader();
        using var rejections = new RejectionsWriter(outDirectory);
        var consumer = new ScanConsumer(rejections, spool, options.Since, options.Until);
        using (var handOff = new BatchHandOff(consumer.Accept))
        {
            Task reading = reader.ReadAsync(files, handOff.Add, cancellationToken);
            await ReadProgressDisplay.RunAsync(() => reader.Progress, reading).ConfigureAwait(false);
            try
            {
                await reading.ConfigureAwait(false);
            }
            finally
            {
                await handOff.CompleteAsync().ConfigureAwait(false);
            }
        }

        consumer.Summary.Files = files.Count;
        return consumer;
    }

    private static void WriteOutputs(string outDirectory, ScanConsumer consumer, InvestigationResult result)
    {
        CoverageWriter.Write(outDirectory, consumer.Coverage, result.Evaluation);
        AlertsWriter.Write(outDirectory, result.Alerts);
        IncidentsWriter.Write(outDirectory, result.Incidents);
        ExposureCsvWriter.Write(outDirectory, result.Exposure);
        StageTimer.Mark("write files");
        HtmlReportWriter.Write(outDirectory, result, consumer.Coverage, consumer.Summary);
        StageTimer.Mark("write report");
    }

    private InvestigationResult Investigate(ScanConsumer consumer, IndicatorSet indicators)
    {
        var detectionOptions = new DetectionOptions { AllowedApps = FirstPartyMailApps.With(options.AllowedApps) };
        var context = new DetectionContext(detectionOptions, indicators, consumer.Coverage);
        HashSet<string>? tenants = options.Tenants.Count > 0 ? options.Tenants.ToHashSet(StringComparer.OrdinalIgnoreCase) : null;
        bool progress = consumer.Events.Count >= 200_000;
        if (progress)
        {
            System.Console.Error.WriteLine($"forgewatch: running detections over {consumer.Events.Count:N0} events ...");
        }

        return Investigation.Run(
            consumer.Events,
            consumer.Coverage.TenantOf,
            BuiltInDetections.Create(),
            context,
            tenants is null ? null : tenants.Contains,
            StageTimer.Mark);
    }
}
