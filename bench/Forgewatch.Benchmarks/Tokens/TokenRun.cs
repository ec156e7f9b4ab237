using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Forgewatch.Benchmarks.Tokens;

/// <summary>
/// The <c>tokens</c> command: the token benchmark classes through BenchmarkDotNet's switcher with
/// <see cref="TokenBenchConfig"/> and the caller's BenchmarkDotNet options (all classes unless
/// <c>--filter</c> picks some). No data files are needed. With <c>--record</c> the run's GitHub-style
/// reports are copied into bench/results (a dry run should not be recorded).
/// </summary>
public static class TokenRun
{
    public static readonly Type[] Classes = [typeof(Rs256TokenBenchmarks), typeof(Es256TokenBenchmarks), typeof(Hs256TokenBenchmarks)];

    public static int Run(string[] args, bool record, TextWriter log)
    {
        // --job is taken here: BenchmarkDotNet ignores it when the config brings a default job of its own.
        var options = new List<string>(args);
        string preset = "default";
        int at = options.FindIndex(a => a is "--job" or "-j");
        if (at >= 0 && at + 1 < options.Count)
        {
            preset = options[at + 1];
            options.RemoveRange(at, 2);
        }

        // Without a filter the switcher would ask which benchmarks to run.
        if (!options.Any(a => a is "--filter" or "-f"))
        {
            options.AddRange(["--filter", "*"]);
        }

        DateTime started = DateTime.UtcNow;
        Summary[] summaries = [.. BenchmarkSwitcher.FromTypes(Classes).Run([.. options], new TokenBenchConfig(preset))];
        if (summaries.Length == 0 || summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Length == 0))
        {
            return 1;
        }

        if (record)
        {
            string results = Path.Combine(Results.RepositoryRoot(), "bench", "results");
            Directory.CreateDirectory(results);
            foreach (Summary summary in summaries)
            {
                foreach (string report in Directory.EnumerateFiles(summary.ResultsDirectoryPath, "*TokenBenchmarks-report-github.md"))
                {
                    if (File.GetLastWriteTimeUtc(report) >= started)
                    {
                        string copy = Path.Combine(results, Path.GetFileName(report));
                        File.Copy(report, copy, overwrite: true);
                        log.WriteLine($"Written: {copy}");
                    }
                }
            }
        }

        return summaries.All(s => s.Reports.All(r => r.Success)) ? 0 : 1;
    }
}
