using System.Globalization;
using System.Text;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Forgewatch.Benchmarks;

// Usage (from the repository root):
//   dotnet run -c Release --project bench/Forgewatch.Benchmarks -- [--size-mb 256] [--seed N] [--data DIR] [BenchmarkDotNet args, e.g. --filter *Jsonl*]
//   dotnet run -c Release --project bench/Forgewatch.Benchmarks -- generate [--size-mb 256] [--data DIR]
//   dotnet run -c Release --project bench/Forgewatch.Benchmarks -- jsonl FILE --size-mb 1024     (JSON Lines only, for memory.sh)
//   dotnet run -c Release --project bench/Forgewatch.Benchmarks -- pairs [--rounds 7] [--isolated] [--only TEXT]   (the same ratios, baseline and readers interleaved round by round; --isolated: each measurement in a fresh process)
//   dotnet run -c Release --project bench/Forgewatch.Benchmarks -- stages [--rounds 8]   (JSONL stages in memory, interleaved chunk by chunk: CPU per byte vs the tokenizer, steady on a noisy machine)
//   dotnet run -c Release --project bench/Forgewatch.Benchmarks -- scaling [--rounds 6]   (JSONL stages in memory: one thread after the other vs two side by side, chunk pair by chunk pair)
//   dotnet run -c Release --project bench/Forgewatch.Benchmarks -- read FILE     (LogReader alone, default options; for memory.sh)
//   dotnet run -c Release --project bench/Forgewatch.Benchmarks -- tokenize FILE...   (the baseline alone: one Utf8JsonReader pass over each JSON Lines file; prints seconds; for e2e.sh)
//   dotnet run -c Release --project bench/Forgewatch.Benchmarks -- profile [--size-mb 256] [--repeat 3] [--only TEXT]   (where the time goes; --only keeps the stages whose name contains TEXT)
//   dotnet run -c Release --project bench/Forgewatch.Benchmarks -- stream FILE [--batch 5000] [--rounds 3]   (serve's detections, batch by batch, against scan's detections on the same records; one thread)
//   dotnet run -c Release --project bench/Forgewatch.Benchmarks -- tokens [--record] [BenchmarkDotNet args, e.g. --filter *Rs256* --job short]   (token verifier vs bare signature checks and JsonWebTokenHandler; no data files; --record copies the reports to bench/results)
//   dotnet run -c Release --project bench/Forgewatch.Benchmarks -- tokens-pairs [--rounds 15] [--only Rs256]   (the same four contenders interleaved block by block in one process: steadier ratios on a shared machine)
var rest = new List<string>(args);
int sizeMb = TakeInt(rest, "--size-mb", 256);
int seed = TakeInt(rest, "--seed", 20230615);
string dataDirectory = Take(rest, "--data") ?? Path.Combine(Path.GetTempPath(), "forgewatch-bench");
string? command = rest.Count > 0 && !rest[0].StartsWith('-') ? rest[0] : null;
if (command is not null)
{
    rest.RemoveAt(0);
}

switch (command)
{
    case "jsonl":
    {
        string path = rest.Count > 0 ? rest[0] : throw new ArgumentException("jsonl needs an output file.");
        long records = DataGenerator.WriteJsonLinesOnly(path, (long)sizeMb * 1_000_000, seed);
        Console.WriteLine($"{path}: {records} records, {new FileInfo(path).Length / 1e6:F0} MB");
        return 0;
    }

    case "read":
    {
        // The reader alone, default options, events counted and dropped: its memory without the scan's.
        string path = rest.Count > 0 ? rest[0] : throw new ArgumentException("read needs a file.");
        long events = 0;
        long rejected = 0;
        var reader = new Forgewatch.Sources.Pipeline.LogReader();
        await reader.ReadAsync([new Forgewatch.Sources.Input.InputFile(path, new FileInfo(path).Length)], batch =>
        {
            events += batch.Events.Count;
            rejected += batch.Rejections.Count;
        }).ConfigureAwait(false);
        Console.WriteLine($"{path}: {events} events, {rejected} rejections; GCs {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, allocated {GC.GetTotalAllocatedBytes() / 1e6:F0} MB, committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1e6:F0} MB");
        return 0;
    }

    case "tokenize":
    {
        // The bare tokenizer pass over JSON Lines files, in this process: the baseline of bench/e2e.sh.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long tokens = rest.Sum(Baselines.TokenizeJsonLines);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds:F3} s, {tokens} tokens"));
        return 0;
    }

    case "pairs":
    {
        BenchData data = DataGenerator.Ensure(dataDirectory, sizeMb, seed, Console.Out);
        bool isolated = rest.Remove("--isolated");
        string[] dataOptions = ["--data", dataDirectory, "--size-mb", sizeMb.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture)];
        Profile.Pairs(data, TakeInt(rest, "--rounds", 7), isolated, Take(rest, "--only"), dataOptions, Console.Out);
        return 0;
    }

    case "measure":
    {
        // One benchmark in this process, for pairs --isolated: prints "wall-seconds cpu-seconds".
        string name = rest.Count > 0 ? rest[0] : throw new ArgumentException("measure needs a benchmark name.");
        BenchData data = DataGenerator.Ensure(dataDirectory, sizeMb, seed, TextWriter.Null);
        Profile.MeasureHere(data, name, Console.Out);
        return 0;
    }

    case "generate":
        DataGenerator.Ensure(dataDirectory, sizeMb, seed, Console.Out);
        return 0;

    case "stages":
    {
        BenchData data = DataGenerator.Ensure(dataDirectory, sizeMb, seed, Console.Out);
        InterleavedStages.Run(data, TakeInt(rest, "--rounds", 8), Console.Out);
        return 0;
    }

    case "scaling":
    {
        BenchData data = DataGenerator.Ensure(dataDirectory, sizeMb, seed, Console.Out);
        TwoThreadScaling.Run(data, TakeInt(rest, "--rounds", 6), Console.Out);
        return 0;
    }

    case "stream":
    {
        string path = rest.Count > 0 ? rest[0] : throw new ArgumentException("stream needs a JSON Lines file.");
        await StreamDetections.RunAsync(path, TakeInt(rest, "--batch", 5000), TakeInt(rest, "--rounds", 3), Console.Out).ConfigureAwait(false);
        return 0;
    }

    case "tokens":
    {
        bool record = rest.Remove("--record");
        return Forgewatch.Benchmarks.Tokens.TokenRun.Run([.. rest], record, Console.Out);
    }

    case "tokens-pairs":
        Forgewatch.Benchmarks.Tokens.TokenPairs.Run(TakeInt(rest, "--rounds", 15), Take(rest, "--only"), Console.Out);
        return 0;

    case "profile":
    {
        BenchData data = DataGenerator.Ensure(dataDirectory, sizeMb, seed, Console.Out);
        Profile.Run(data, TakeInt(rest, "--repeat", 3), Take(rest, "--only"), Console.Out);
        return 0;
    }

    case null:
        break;

    default:
        Console.Error.WriteLine($"Unknown command '{command}': expected generate, jsonl, read, tokenize, profile, pairs, stages, scaling, stream, tokens, tokens-pairs, or BenchmarkDotNet options.");
        return 2;
}

{
    BenchData data = DataGenerator.Ensure(dataDirectory, sizeMb, seed, Console.Out);
    string manifest = Path.Combine(dataDirectory, Path.GetFileNameWithoutExtension(data.JsonlPath) + ".manifest.json");
    // The benchmark processes BenchmarkDotNet starts inherit this.
    Environment.SetEnvironmentVariable(BenchData.ManifestVariable, manifest);
    DateTime started = DateTime.UtcNow;
    Environment.SetEnvironmentVariable(CpuLog.Variable, Path.Combine(dataDirectory, $"cpu-{started:yyyyMMdd-HHmmss}.tsv"));
    Summary summary = BenchmarkRunner.Run<ReaderBenchmarks>(new BenchConfig(), [.. rest]);
    if (summary.HasCriticalValidationErrors || summary.Reports.Length == 0)
    {
        return 1;
    }

    Results.Write(summary, data, started, Console.Out);
    return summary.Reports.All(r => r.Success) ? 0 : 1;
}

static string? Take(List<string> args, string name)
{
    int i = args.IndexOf(name);
    if (i < 0 || i + 1 >= args.Count)
    {
        return null;
    }

    string value = args[i + 1];
    args.RemoveRange(i, 2);
    return value;
}

static int TakeInt(List<string> args, string name, int fallback) =>
    Take(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

/// <summary>Copies the run's report into bench/results and adds the speed ratios against the targets.</summary>
internal static class Results
{
    public static void Write(Summary summary, BenchData data, DateTime started, TextWriter log)
    {
        string results = Path.Combine(RepositoryRoot(), "bench", "results");
        Directory.CreateDirectory(results);
        foreach (string report in Directory.EnumerateFiles(summary.ResultsDirectoryPath, "*-report-github.md"))
        {
            if (File.GetLastWriteTimeUtc(report) >= started)
            {
                File.Copy(report, Path.Combine(results, Path.GetFileName(report)), overwrite: true);
            }
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Reader throughput, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Input: {data.Records:N0} MailItemsAccessed records; JSONL {data.JsonlBytes / 1e6:F0} MB, Purview CSV {data.CsvBytes / 1e6:F0} MB, gzip {data.GzipBytes / 1e6:F0} MB compressed ({data.JsonlBytes / 1e6:F0} MB of JSONL inside).");
        text.AppendLine(CultureInfo.InvariantCulture, $"Source measured: {SourceVersion()}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {ProcessorName()}, {Environment.ProcessorCount} logical cores, {summary.HostEnvironmentInfo.RuntimeVersion}.");
        text.AppendLine("MB/s is content bytes (decompressed for gzip) per second of median time; speed/baseline is baseline median time / reader median time, both from this run.");
        text.AppendLine();
        text.AppendLine("CPU s is the median process CPU time of one pass (all threads); cores busy = CPU / wall; MB per CPU-s compares work per core.");
        text.AppendLine();
        text.AppendLine("| Input | Benchmark | Median (s) | MB/s | Speed/baseline | Target | Met | CPU s | Cores busy | MB per CPU-s | Per-CPU-s vs baseline |");
        text.AppendLine("|---|---|---:|---:|---:|---|---|---:|---:|---:|---:|");
        string[] order = [ReaderBenchmarks.Jsonl, ReaderBenchmarks.Csv, ReaderBenchmarks.Gzip];
        foreach (BenchmarkCase benchmark in summary.BenchmarksCases.OrderBy(b => Array.IndexOf(order, BenchConfig.CategoryOf(b))))
        {
            string name = benchmark.Descriptor.WorkloadMethod.Name;
            double? seconds = BenchConfig.MedianSeconds(summary, benchmark);
            double? ratio = BenchConfig.SpeedRatio(summary, benchmark);
            (string target, bool? met) = name switch
            {
                _ when name.EndsWith("_OneCore", StringComparison.Ordinal) => (">= 0.60", ratio >= 0.6),
                _ when name.EndsWith("_TwoCores", StringComparison.Ordinal) => ("> 1.00", ratio > 1.0),
                _ => ("", (bool?)null),
            };
            string mbps = seconds is double s ? (BenchConfig.ContentBytes(data, benchmark) / 1e6 / s).ToString("F0", CultureInfo.InvariantCulture) : "-";
            (double CpuSeconds, double Cores)? cpu = BenchConfig.Cpu(benchmark);
            BenchmarkCase? baseline = summary.BenchmarksCases.FirstOrDefault(b => BenchConfig.IsBaseline(b) && BenchConfig.CategoryOf(b) == BenchConfig.CategoryOf(benchmark));
            double? baselineCpu = baseline is null ? null : BenchConfig.Cpu(baseline)?.CpuSeconds;
            double bytes = BenchConfig.ContentBytes(data, benchmark);
            string perCpu = cpu is { } c ? (bytes / 1e6 / c.CpuSeconds).ToString("F0", CultureInfo.InvariantCulture) : "-";
            string perCpuRatio = cpu is { } c2 && baselineCpu is double bc ? (bc / c2.CpuSeconds).ToString("F2", CultureInfo.InvariantCulture) : "-";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {BenchConfig.CategoryOf(benchmark)} | {name} | {seconds:F3} | {mbps} | {ratio:F2} | {target} | {(met is null ? "" : met.Value ? "yes" : "NO")} | {cpu?.CpuSeconds:F3} | {cpu?.Cores:F2} | {perCpu} | {perCpuRatio} |");
        }

        string path = Path.Combine(results, "ratios.md");
        File.WriteAllText(path, text.ToString());
        log.WriteLine();
        log.WriteLine(text.ToString());
        log.WriteLine($"Written: {path} and the BenchmarkDotNet report beside it.");
    }

    /// <summary>Which code was measured: FORGEWATCH_BENCH_SOURCE when the caller says (a snapshot has no
    /// .git), else the commit and whether src/ had uncommitted changes (read without touching git's index).</summary>
    private static string SourceVersion()
    {
        if (Environment.GetEnvironmentVariable("FORGEWATCH_BENCH_SOURCE") is { Length: > 0 } given)
        {
            return given;
        }

        string? commit = Git("rev-parse --short HEAD")?.Trim();
        if (string.IsNullOrEmpty(commit))
        {
            return "unknown (not a git checkout)";
        }

        string? changes = Git("--no-optional-locks status --porcelain -- src");
        return string.IsNullOrWhiteSpace(changes) ? $"commit {commit}" : $"commit {commit} plus uncommitted changes in src/";
    }

    private static string? Git(string arguments)
    {
        try
        {
            using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", $"-C \"{RepositoryRoot()}\" {arguments}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (git is null)
            {
                return null;
            }

            string output = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string ProcessorName()
    {
        const string Key = "model name";
        string? line = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith(Key, StringComparison.Ordinal)) : null;
        return line is null ? "unknown CPU" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }

    public static string RepositoryRoot()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Forgewatch.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        return Environment.CurrentDirectory;
    }
}
