using System.Globalization;
using Forgewatch.Sources.Pipeline;
using Spectre.Console;

namespace Forgewatch.Cli.Console;

/// <summary>
/// Shows a read's progress on standard error: a live bar on a terminal, or a plain line every few seconds
/// when standard error is redirected (logs and CI keep a readable record). Standard output stays for results.
/// </summary>
internal static class ReadProgressDisplay
{
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(Func<ReadProgress> progress, Task reading)
    {
        if (!System.Console.IsErrorRedirected)
        {
            IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });
            await console.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    ProgressTask task = context.AddTask("Reading", maxValue: 1);
                    while (!reading.IsCompleted)
                    {
                        Update(task, progress());
                        await Task.WhenAny(reading, Task.Delay(100)).ConfigureAwait(false);
                    }

                    Update(task, progress());
                }).ConfigureAwait(false);
            return;
        }

        while (!reading.IsCompleted)
        {
            await Task.WhenAny(reading, Task.Delay(LineInterval)).ConfigureAwait(false);
            if (!reading.IsCompleted)
            {
                System.Console.Error.WriteLine(Line(progress()));
            }
        }

        System.Console.Error.WriteLine(Line(progress()));
    }

    private static void Update(ProgressTask task, ReadProgress p)
    {
        task.MaxValue = Math.Max(1, p.TotalBytes);
        task.Value = Math.Min(p.BytesRead, task.MaxValue);
        task.Description = string.Create(CultureInfo.InvariantCulture, $"Reading {p.FilesDone}/{p.TotalFiles} files, {p.Records:N0} records, {p.Rejected:N0} rejected");
    }

    private static string Line(ReadProgress p)
    {
        double percent = p.TotalBytes == 0 ? 100 : 100.0 * p.BytesRead / p.TotalBytes;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"forgewatch: read {Size(p.BytesRead)} of {Size(p.TotalBytes)} ({percent:F0}%), {p.FilesDone}/{p.TotalFiles} files, {p.Records:N0} records, {p.Rejected:N0} rejected");
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F2} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F1} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):F1} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
