using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Forgewatch.Sources.Input;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Benchmarks;

/// <summary>
/// Each input shape three ways over the same bytes in the same run: the tokenizer-only baseline, the
/// <see cref="LogReader"/> with one parsing worker, and with two. Every benchmark reads the whole file.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ReaderBenchmarks
{
    public const string Jsonl = "Jsonl";
    public const string Csv = "Csv";
    public const string Gzip = "Gzip";

    private BenchData _data = null!;
    private long _tokens = -1;
    private long _csvTokens = -1;

    [GlobalSetup]
    public void Setup() => _data = BenchData.FromEnvironment();

    /// <summary>Untimed: each pass starts on an idle machine (see <see cref="QuietGate"/>).</summary>
    [IterationSetup]
    public void WaitForQuiet() => QuietGate.Wait(Console.Out);

    [Benchmark]
    [BenchmarkCategory(Jsonl)]
    public long Baseline_TokenizerOnly_Jsonl() => CpuLog.Measure(nameof(Baseline_TokenizerOnly_Jsonl), () => Expect(ref _tokens, Baselines.TokenizeJsonLines(_data.JsonlPath)));

    [Benchmark]
    [BenchmarkCategory(Jsonl)]
    public Task<long> Read_Jsonl_OneCore() => CpuLog.MeasureAsync(nameof(Read_Jsonl_OneCore), () => ReadAsync(_data.JsonlPath, 1));

    [Benchmark]
    [BenchmarkCategory(Jsonl)]
    public Task<long> Read_Jsonl_TwoCores() => CpuLog.MeasureAsync(nameof(Read_Jsonl_TwoCores), () => ReadAsync(_data.JsonlPath, 2));

    [Benchmark]
    [BenchmarkCategory(Csv)]
    public long Baseline_TokenizerOnly_Csv() => CpuLog.Measure(nameof(Baseline_TokenizerOnly_Csv), () =>
    {
        long tokens = Baselines.TokenizeCsvAuditData(_data.CsvPath, out long rows);
        Check(rows, "CSV rows");
        return Expect(ref _csvTokens, tokens);
    });

    [Benchmark]
    [BenchmarkCategory(Csv)]
    public Task<long> Read_Csv_OneCore() => CpuLog.MeasureAsync(nameof(Read_Csv_OneCore), () => ReadAsync(_data.CsvPath, 1));

    [Benchmark]
    [BenchmarkCategory(Csv)]
    public Task<long> Read_Csv_TwoCores() => CpuLog.MeasureAsync(nameof(Read_Csv_TwoCores), () => ReadAsync(_data.CsvPath, 2));

    [Benchmark]
    [BenchmarkCategory(Gzip)]
    public long Baseline_TokenizerOnly_Gzip() => CpuLog.Measure(nameof(Baseline_TokenizerOnly_Gzip), () => Expect(ref _tokens, Baselines.TokenizeGzipJsonLines(_data.GzipPath)));

    [Benchmark]
    [BenchmarkCategory(Gzip)]
    public Task<long> Read_Gzip_OneCore() => CpuLog.MeasureAsync(nameof(Read_Gzip_OneCore), () => ReadAsync(_data.GzipPath, 1));

    [Benchmark]
    [BenchmarkCategory(Gzip)]
    public Task<long> Read_Gzip_TwoCores() => CpuLog.MeasureAsync(nameof(Read_Gzip_TwoCores), () => ReadAsync(_data.GzipPath, 2));

    private async Task<long> ReadAsync(string path, int parallelism)
    {
        long events = 0;
        long rejections = 0;
        var reader = new LogReader(new LogReaderOptions { Parallelism = parallelism, FilesAtOnce = 1 });
        await reader.ReadAsync([new InputFile(path, new FileInfo(path).Length)], batch =>
        {
            events += batch.Events.Count;
            rejections += batch.Rejections.Count;
        }).ConfigureAwait(false);
        if (rejections != 0)
        {
            throw new InvalidOperationException($"{path}: {rejections} records rejected; the generated data should all be read.");
        }

        Check(events, "events");
        return events;
    }

    private void Check(long count, string what)
    {
        if (count != _data.Records)
        {
            throw new InvalidOperationException($"Read {count} {what}, but {_data.Records} records were written.");
        }
    }

    /// <summary>The token count must be the same on every pass (and, for JSONL and gzip, the same
    /// between the two: they hold the same bytes).</summary>
    private static long Expect(ref long expected, long tokens)
    {
        if (expected >= 0 && expected != tokens)
        {
            throw new InvalidOperationException($"Tokenized {tokens} tokens, {expected} before.");
        }

        expected = tokens;
        return tokens;
    }
}
