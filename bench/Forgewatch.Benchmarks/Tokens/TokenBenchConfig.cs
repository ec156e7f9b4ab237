using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Forgewatch.Benchmarks.Tokens;

/// <summary>
/// One of BenchmarkDotNet's preset jobs (by default its default job: many short invocations, as a token takes
/// microseconds) with the forgewatch command's GC settings; memory per token; and the ratios the targets are
/// stated in, from medians of the same run. The job is not marked as the default job: BenchmarkDotNet would
/// then ignore <c>--job</c>, so <see cref="TokenRun"/> takes that option itself and passes the preset here.
/// </summary>
public sealed class TokenBenchConfig : ManualConfig
{
    public const string BareMethod = nameof(TokenBenchmarks.Bare);
    public const string VerifierMethod = nameof(TokenBenchmarks.Forgewatch_TokenVerifier);
    public const string HandlerMethod = nameof(TokenBenchmarks.JsonWebTokenHandler_ValidateTokenAsync);
    public const string SignatureOnlyMethod = nameof(TokenBenchmarks.Forgewatch_SignatureOnly);

    /// <summary>Most bytes a valid token may allocate in the verifier.</summary>
    public const long MaxBytesPerToken = 1024;

    /// <summary>BenchmarkDotNet's presets by their <c>--job</c> names.</summary>
    public static readonly IReadOnlyDictionary<string, Job> Presets = new Dictionary<string, Job>(StringComparer.OrdinalIgnoreCase)
    {
        ["default"] = Job.Default,
        ["dry"] = Job.Dry,
        ["short"] = Job.ShortRun,
        ["medium"] = Job.MediumRun,
        ["long"] = Job.LongRun,
        ["verylong"] = Job.VeryLongRun,
    };

    public TokenBenchConfig(string preset = "default")
    {
        Job job = Presets.TryGetValue(preset, out Job? found) ? found : throw new ArgumentException($"Unknown job \"{preset}\": expected one of {string.Join(", ", Presets.Keys)}.", nameof(preset));
        string id = preset.Equals("default", StringComparison.OrdinalIgnoreCase) ? "Tokens" : $"Tokens-{preset.ToLowerInvariant()}";
        AddJob(job.WithGcServer(false).WithGcConcurrent(false).WithId(id));
        Add(DefaultConfig.Instance);
        AddColumn(StatisticColumn.Median, new TokensPerSecondColumn(), new SpeedVsBareColumn(), new SpeedVsHandlerColumn(), new OwnAllocationColumn(), new TargetColumn(), new MetColumn());
        AddDiagnoser(MemoryDiagnoser.Default);
        AddValidator(BenchmarkDotNet.Validators.JitOptimizationsValidator.FailOnError);
        ArtifactsPath = Path.Combine(Results.RepositoryRoot(), "bench", "BenchmarkDotNet.Artifacts");
        WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared));
    }

    /// <summary>The targets of the verifier in each class: speed against the bare primitive, and against
    /// JsonWebTokenHandler where the issue states one (RS256, the handler given an RsaSecurityKey).</summary>
    public static (double Bare, double Handler) Targets(BenchmarkCase benchmark) => Targets(benchmark.Descriptor.Type.Name);

    /// <summary>The targets for a benchmark class: speed over the bare primitive (0.95 for RS256 and
    /// ES256, 0.6 for HS256) and over JsonWebTokenHandler (1.2 for all three).</summary>
    public static (double Bare, double Handler) Targets(string benchmarkClass) => benchmarkClass switch
    {
        nameof(Hs256TokenBenchmarks) => (0.6, 1.2),
        _ => (0.95, 1.2),
    };

    /// <summary>Median nanoseconds per token, or null if the benchmark did not run.</summary>
    public static double? MedianNs(Summary summary, BenchmarkCase benchmark) => summary[benchmark]?.ResultStatistics?.Median;

    /// <summary>The benchmark of <paramref name="method"/> in the same class and job as <paramref name="benchmark"/>.</summary>
    public static BenchmarkCase? Sibling(Summary summary, BenchmarkCase benchmark, string method) =>
        summary.BenchmarksCases.FirstOrDefault(b => b.Descriptor.Type == benchmark.Descriptor.Type
            && b.Job.DisplayInfo == benchmark.Job.DisplayInfo
            && b.Descriptor.WorkloadMethod.Name == method);

    /// <summary>How many times faster <paramref name="benchmark"/> is than its sibling <paramref name="method"/>.</summary>
    public static double? SpeedOver(Summary summary, BenchmarkCase benchmark, string method) =>
        Sibling(summary, benchmark, method) is { } other && MedianNs(summary, other) is double reference && MedianNs(summary, benchmark) is double own
            ? reference / own
            : null;

    public static long? BytesPerToken(Summary summary, BenchmarkCase benchmark) =>
        summary[benchmark]?.GcStats is { } gc ? gc.GetBytesAllocatedPerOperation(benchmark) : null;

    private static bool IsVerifier(BenchmarkCase benchmark) => benchmark.Descriptor.WorkloadMethod.Name == VerifierMethod;

    private static string Ratio(double? value) => value is double v ? v.ToString("F2", CultureInfo.InvariantCulture) : "-";

    private sealed class TokensPerSecondColumn() : CustomColumn("TokensPerSecond", "Tokens/s", "Tokens checked per second of median time")
    {
        public override string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            MedianNs(summary, benchmarkCase) is double ns ? (1e9 / ns).ToString("N0", CultureInfo.InvariantCulture) : "-";
    }

    private sealed class SpeedVsBareColumn() : CustomColumn("SpeedVsBare", "Speed/bare", "Rate relative to the bare primitive in this class and run (its median / this median; higher is faster)")
    {
        public override string GetValue(Summary summary, BenchmarkCase benchmarkCase) => Ratio(SpeedOver(summary, benchmarkCase, BareMethod));
    }

    private sealed class SpeedVsHandlerColumn() : CustomColumn("SpeedVsHandler", "Speed/JWTH", "Rate relative to JsonWebTokenHandler.ValidateTokenAsync in this class and run (its median / this median)")
    {
        public override string GetValue(Summary summary, BenchmarkCase benchmarkCase) => Ratio(SpeedOver(summary, benchmarkCase, HandlerMethod));
    }

    private sealed class OwnAllocationColumn() : CustomColumn("AllocatedBeyondBare", "Alloc beyond bare", "Bytes allocated per token beyond what the bare primitive allocates (on Linux ECDsa.VerifyData itself allocates ~1.4 KB per call)")
    {
        public override string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            BytesPerToken(summary, benchmarkCase) is long own && Sibling(summary, benchmarkCase, BareMethod) is { } bare && BytesPerToken(summary, bare) is long primitive
                ? (own - primitive).ToString(CultureInfo.InvariantCulture) + " B"
                : "-";
    }

    private sealed class TargetColumn() : CustomColumn("Target", "Target", "The verifier's targets: speed/bare, speed/JWTH (RS256), bytes allocated per valid token", numeric: false)
    {
        public override string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            if (!IsVerifier(benchmarkCase))
            {
                return "";
            }

            (double bare, double handler) = Targets(benchmarkCase);
            return string.Create(CultureInfo.InvariantCulture, $"bare >= {bare:F2}, JWTH >= {handler:F2}, <= {MaxBytesPerToken} B");
        }
    }

    private sealed class MetColumn() : CustomColumn("Met", "Met", "Whether each target holds in this run, in the Target column's order", numeric: false)
    {
        public override string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            if (!IsVerifier(benchmarkCase))
            {
                return "";
            }

            (double bare, double handler) = Targets(benchmarkCase);
            var met = new List<string> { Met(SpeedOver(summary, benchmarkCase, BareMethod) >= bare), Met(SpeedOver(summary, benchmarkCase, HandlerMethod) >= handler) };

            met.Add(Met(BytesPerToken(summary, benchmarkCase) <= MaxBytesPerToken));
            return string.Join(", ", met);
        }

        private static string Met(bool holds) => holds ? "yes" : "NO";
    }
}
