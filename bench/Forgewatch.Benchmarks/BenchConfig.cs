using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Forgewatch.Benchmarks;

/// <summary>
/// Few, long iterations (each reads a whole file of hundreds of MB, about a second), so that the run
/// fits in minutes; a forced GC between iterations; the forgewatch command's GC settings.
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    public const int Iterations = 10;

    public BenchConfig()
    {
        AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(Iterations)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithGcServer(false)
            .WithGcConcurrent(false)
            .WithGcForce(true)
            .WithId("Files"));
        Add(DefaultConfig.Instance);
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, new ThroughputColumn(), new SpeedRatioColumn(), new CpuColumn(), new CoresColumn());
        AddDiagnoser(MemoryDiagnoser.Default);
        AddValidator(BenchmarkDotNet.Validators.JitOptimizationsValidator.FailOnError);
        ArtifactsPath = Path.Combine(Results.RepositoryRoot(), "bench", "BenchmarkDotNet.Artifacts");
        WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
    }

    /// <summary>Bytes of content each benchmark reads: the file, or for gzip the decompressed JSONL.</summary>
    public static long ContentBytes(BenchData data, BenchmarkCase benchmark) =>
        CategoryOf(benchmark) switch
        {
            ReaderBenchmarks.Csv => data.CsvBytes,
            _ => data.JsonlBytes,
        };

    public static string CategoryOf(BenchmarkCase benchmark) => benchmark.Descriptor.Categories.FirstOrDefault() ?? string.Empty;

    public static bool IsBaseline(BenchmarkCase benchmark) => benchmark.Descriptor.WorkloadMethod.Name.StartsWith("Baseline_", StringComparison.Ordinal);

    /// <summary>Median time of one pass over the file, in seconds, or null if it did not run.</summary>
    public static double? MedianSeconds(Summary summary, BenchmarkCase benchmark) =>
        summary[benchmark]?.ResultStatistics?.Median is double ns ? ns / 1e9 : null;

    /// <summary>This benchmark's speed over its category's tokenizer baseline's (same run, medians).</summary>
    public static double? SpeedRatio(Summary summary, BenchmarkCase benchmark)
    {
        BenchmarkCase? baseline = summary.BenchmarksCases.FirstOrDefault(b => IsBaseline(b) && CategoryOf(b) == CategoryOf(benchmark));
        return baseline is not null && MedianSeconds(summary, baseline) is double b && MedianSeconds(summary, benchmark) is double t ? b / t : null;
    }

    /// <summary>Median CPU seconds and cores busy of the measured iterations (see <see cref="CpuLog"/>).</summary>
    public static (double CpuSeconds, double Cores)? Cpu(BenchmarkCase benchmark) =>
        CpuLog.Median(benchmark.Descriptor.WorkloadMethod.Name, Iterations);

    private sealed class ThroughputColumn() : CustomColumn("MBps", "MB/s", "Content bytes (file bytes; for gzip the decompressed JSONL bytes) per second of median time, MB = 10^6 bytes")
    {
        private readonly Lazy<BenchData?> _data = new(() => Environment.GetEnvironmentVariable(BenchData.ManifestVariable) is { } m ? BenchData.Read(m) : null);

        public override string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            _data.Value is { } data && MedianSeconds(summary, benchmarkCase) is double s
                ? (ContentBytes(data, benchmarkCase) / 1e6 / s).ToString("F0", CultureInfo.InvariantCulture)
                : "-";
    }

    private sealed class SpeedRatioColumn() : CustomColumn("SpeedVsBaseline", "Speed/baseline", "Speed relative to the tokenizer-only baseline of the same input in this run (baseline median / this median; higher is faster)")
    {
        public override string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            SpeedRatio(summary, benchmarkCase) is double r ? r.ToString("F2", CultureInfo.InvariantCulture) : "-";
    }

    private sealed class CpuColumn() : CustomColumn("CpuSeconds", "CPU s", "Median process CPU time of one pass (all threads), from the measured iterations")
    {
        public override string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            Cpu(benchmarkCase) is { } c ? c.CpuSeconds.ToString("F3", CultureInfo.InvariantCulture) : "-";
    }

    private sealed class CoresColumn() : CustomColumn("Cores", "Cores busy", "Median CPU time / wall time of one pass: how many cores the benchmark kept busy")
    {
        public override string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            Cpu(benchmarkCase) is { } c ? c.Cores.ToString("F2", CultureInfo.InvariantCulture) : "-";
    }
}
