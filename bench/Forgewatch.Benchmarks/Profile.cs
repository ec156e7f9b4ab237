using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Forgewatch.Sources.Framing;
using Forgewatch.Sources.Input;
using Forgewatch.Sources.Normalization;
using Forgewatch.Sources.Pipeline;
using nietras.SeparatedValues;

namespace Forgewatch.Benchmarks;

/// <summary>
/// Where the reader's time goes: each stage of the pipeline timed alone on one thread over the same
/// bytes (reading, UTF-8 validation, framing, top-level field location, full normalization), and the
/// whole reader with the CPU time it took, so that wall-clock speed and cores used can be told apart.
/// Uses the internal stages directly (InternalsVisibleTo); if they change shape, this file follows.
/// </summary>
internal static class Profile
{
    private static string? s_only;

    public static void Run(BenchData data, int repeat, string? only, TextWriter log)
    {
        s_only = only;
        log.WriteLine($"{data.Records:N0} records; JSONL {data.JsonlBytes / 1e6:F0} MB, CSV {data.CsvBytes / 1e6:F0} MB, gzip {data.GzipBytes / 1e6:F0} MB.");
        log.WriteLine($"Best of {repeat} runs; MB/s over content bytes (decompressed for gzip); CPU = process CPU time / wall time (cores busy).");
        ThreadPool.GetMinThreads(out int minWorkers, out _);
        log.WriteLine($"Thread pool min workers {minWorkers}; server GC {System.Runtime.GCSettings.IsServerGC}; GC latency {System.Runtime.GCSettings.LatencyMode}; load {File.ReadAllText("/proc/loadavg").Trim()}");
        log.WriteLine();
        log.WriteLine($"{"stage",-58} {"wall s",7} {"MB/s",7} {"CPU",5} {"alloc MB",9} {"GCs 0/1/2",12} {"GC pause",8}");

        long jsonl = data.JsonlBytes;
        long csv = data.CsvBytes;

        Time(log, repeat, "JSONL: read file, 1 MiB blocks (page cache)", jsonl, () => Drain(Baselines.OpenFile(data.JsonlPath)));
        Time(log, repeat, "JSONL: ContentOpener stream (buffer+UTF-8 check)", jsonl, () => DrainOpened(data.JsonlPath));
        Time(log, repeat, "JSONL: tokenizer baseline", jsonl, () => Baselines.TokenizeJsonLines(data.JsonlPath));
        Time(log, repeat, "JSONL: tokenizer baseline, 2 threads each whole file", 2 * jsonl, () =>
        {
            // How well this machine's two cores scale on the same work: the ceiling for any 2-core reader.
            Task<long> other = Task.Factory.StartNew(() => Baselines.TokenizeJsonLines(data.JsonlPath), TaskCreationOptions.LongRunning);
            return Baselines.TokenizeJsonLines(data.JsonlPath) + other.GetAwaiter().GetResult();
        });
        Time(log, repeat, "JSONL: JsonLinesFramer (chunks released at once)", jsonl, () => Frame(data.JsonlPath, keep: null));

        var chunks = new List<RecordChunk>();
        if (Wants("JSONL: Utf8JsonReader tokens only, 1 thread (in memory)") || Wants("JSONL: JsonScanner tokens only, 1 thread (in memory)") || Wants("JSONL: RecordFields.Load only, 1 thread (in memory)") || Wants("JSONL: ChunkParser.Parse (normalize), 1 thread (in memory)") || Wants("JSONL: ChunkParser.Parse, 2 threads (in memory)"))
        {
            Frame(data.JsonlPath, chunks);
        }

        Time(log, repeat, "JSONL: Utf8JsonReader tokens only, 1 thread (in memory)", jsonl, () => TokenizeLines(chunks, scanner: false));
        Time(log, repeat, "JSONL: JsonScanner tokens only, 1 thread (in memory)", jsonl, () => TokenizeLines(chunks, scanner: true));
        Time(log, repeat, "JSONL: RecordFields.Load only, 1 thread (in memory)", jsonl, () => LoadFieldsOnly(chunks));
        Time(log, repeat, "JSONL: ChunkParser.Parse (normalize), 1 thread (in memory)", jsonl, () => ParseAll(chunks, data.Records));
        Time(log, repeat, "JSONL: ChunkParser.Parse, 2 threads (in memory)", jsonl, () => ParseAllParallel(chunks, data.Records));
        Release(chunks);

        Time(log, repeat, "JSONL: LogReader Parallelism=1", jsonl, () => Read(data.JsonlPath, 1, data.Records));
        Time(log, repeat, "JSONL: LogReader Parallelism=2", jsonl, () => Read(data.JsonlPath, 2, data.Records));
        log.WriteLine();

        Time(log, repeat, "CSV: tokenizer baseline (Sep + Utf8JsonReader per cell)", csv, () => Baselines.TokenizeCsvAuditData(data.CsvPath, out _));
        Time(log, repeat, "CSV: Sep parse only (unescape, no JSON)", csv, () => SepOnly(data.CsvPath));
        Time(log, repeat, "CSV: CsvRowsFramer (chunks released at once)", csv, () => Frame(data.CsvPath, keep: null));
        if (Wants("CSV: ChunkParser.Parse, 1 thread (in memory)"))
        {
            Frame(data.CsvPath, chunks);
        }

        Time(log, repeat, "CSV: ChunkParser.Parse, 1 thread (in memory)", csv, () => ParseAll(chunks, data.Records));
        Release(chunks);
        Time(log, repeat, "CSV: LogReader Parallelism=1", csv, () => Read(data.CsvPath, 1, data.Records));
        Time(log, repeat, "CSV: LogReader Parallelism=2", csv, () => Read(data.CsvPath, 2, data.Records));
        log.WriteLine();

        Time(log, repeat, "gzip: GZipStream decompression only", jsonl, () => Drain(new GZipStream(Baselines.OpenFile(data.GzipPath), CompressionMode.Decompress)));
        Time(log, repeat, "gzip: tokenizer baseline (decompress + tokenize)", jsonl, () => Baselines.TokenizeGzipJsonLines(data.GzipPath));
        Time(log, repeat, "gzip: JsonLinesFramer (chunks released at once)", jsonl, () => Frame(data.GzipPath, keep: null));
        Time(log, repeat, "gzip: LogReader Parallelism=1", jsonl, () => Read(data.GzipPath, 1, data.Records));
        Time(log, repeat, "gzip: LogReader Parallelism=2", jsonl, () => Read(data.GzipPath, 2, data.Records));
    }

    /// <summary>
    /// The ratios again, but robust to a machine whose load comes and goes: each round runs the baseline
    /// and the readers back to back, a ratio is taken within the round, and the median over rounds is
    /// reported. (BenchmarkDotNet runs each benchmark's iterations together, minutes apart from its
    /// baseline's.)
    /// </summary>
    public static void Pairs(BenchData data, int rounds, bool isolated, string? only, IReadOnlyList<string> dataOptions, TextWriter log)
    {
        (string Name, long Bytes, Func<long> Run)[] runs = [.. Runs(data).Where(r => only is null || r.Name.Contains(only, StringComparison.OrdinalIgnoreCase))];
        var wall = runs.ToDictionary(r => r.Name, _ => new List<double>());
        var cpu = runs.ToDictionary(r => r.Name, _ => new List<double>());
        var ratios = runs.ToDictionary(r => r.Name, _ => new List<double>());
        if (!isolated)
        {
            foreach ((string name, _, Func<long> run) in runs)
            {
                run(); // warm up and tier up
            }
        }

        for (int round = 0; round < rounds; round++)
        {
            double baseline = 0;
            foreach ((string name, _, Func<long> run) in runs)
            {
                (double seconds, double cpuSeconds) = isolated ? MeasureInChild(name, dataOptions) : MeasureOnce(run, log);
                wall[name].Add(seconds);
                cpu[name].Add(cpuSeconds);
                if (name.StartsWith("Baseline_", StringComparison.Ordinal))
                {
                    baseline = seconds;
                }

                ratios[name].Add(baseline / seconds);
            }

            log.WriteLine($"round {round + 1}: {string.Join("  ", runs.Select(r => $"{r.Name}={wall[r.Name][^1]:F3}s"))}");
        }

        log.WriteLine();
        log.WriteLine(isolated
            ? $"Medians over {rounds} interleaved rounds; each figure is the median of {MeasureIterations} passes in a fresh process after {MeasureWarmups} warm-up passes (speed/baseline = median of per-round ratios):"
            : $"Medians over {rounds} interleaved rounds (speed/baseline = median of per-round ratios):");
        log.WriteLine();
        log.WriteLine("| Benchmark | Median s | MB/s | Speed/baseline (min-max) | CPU s | Cores busy |");
        log.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach ((string name, long bytes, _) in runs)
        {
            double w = Median(wall[name]);
            double c = Median(cpu[name]);
            log.WriteLine($"| {name} | {w:F3} | {bytes / 1e6 / w:F0} | {Median(ratios[name]):F2} ({ratios[name].Min():F2}-{ratios[name].Max():F2}) | {c:F3} | {Median([.. cpu[name].Zip(wall[name], (x, y) => x / y)]):F2} |");
        }
    }

    public const int MeasureWarmups = 2;
    public const int MeasureIterations = 3;

    /// <summary>The benchmarks of <see cref="ReaderBenchmarks"/>, by name, as plain calls.</summary>
    public static (string Name, long Bytes, Func<long> Run)[] Runs(BenchData data) =>
    [
        ("Baseline_TokenizerOnly_Jsonl", data.JsonlBytes, () => Baselines.TokenizeJsonLines(data.JsonlPath)),
        ("Read_Jsonl_OneCore", data.JsonlBytes, () => Read(data.JsonlPath, 1, data.Records)),
        ("Read_Jsonl_TwoCores", data.JsonlBytes, () => Read(data.JsonlPath, 2, data.Records)),
        ("Baseline_TokenizerOnly_Csv", data.CsvBytes, () => Baselines.TokenizeCsvAuditData(data.CsvPath, out _)),
        ("Read_Csv_OneCore", data.CsvBytes, () => Read(data.CsvPath, 1, data.Records)),
        ("Read_Csv_TwoCores", data.CsvBytes, () => Read(data.CsvPath, 2, data.Records)),
        ("Baseline_TokenizerOnly_Gzip", data.JsonlBytes, () => Baselines.TokenizeGzipJsonLines(data.GzipPath)),
        ("Read_Gzip_OneCore", data.JsonlBytes, () => Read(data.GzipPath, 1, data.Records)),
        ("Read_Gzip_TwoCores", data.JsonlBytes, () => Read(data.GzipPath, 2, data.Records)),

        // Not benchmarks of the issue: the JSON Lines normalizing alone, on chunks framed once and kept
        // in memory, so that `pairs --only Jsonl` shows what the whole-file readers add to it.
        ("InMemory_Jsonl_Parse_OneThread", data.JsonlBytes, () => ParseAll(FramedJsonl(data), data.Records)),
        ("InMemory_Jsonl_Parse_TwoThreads", data.JsonlBytes, () => ParseAllParallel(FramedJsonl(data), data.Records)),
    ];

    private static List<RecordChunk>? s_framedJsonl;

    /// <summary>The JSON Lines file framed into chunks, once per process (kept until it ends).</summary>
    private static List<RecordChunk> FramedJsonl(BenchData data)
    {
        if (s_framedJsonl is null)
        {
            var chunks = new List<RecordChunk>();
            Frame(data.JsonlPath, chunks);
            s_framedJsonl = chunks;
        }

        return s_framedJsonl;
    }

    /// <summary>The <c>measure</c> command: one benchmark, warmed up, in this process; prints
    /// "wall-seconds cpu-seconds" (medians) on its last line.</summary>
    public static void MeasureHere(BenchData data, string name, TextWriter log)
    {
        Func<long> run = Runs(data).FirstOrDefault(r => r.Name == name).Run ?? throw new ArgumentException($"No benchmark named {name}.");
        for (int i = 0; i < MeasureWarmups; i++)
        {
            run();
        }

        var wall = new List<double>();
        var cpu = new List<double>();
        for (int i = 0; i < MeasureIterations; i++)
        {
            (double w, double c) = MeasureOnce(run, TextWriter.Null);
            wall.Add(w);
            cpu.Add(c);
        }

        log.WriteLine(FormattableString.Invariant($"{Median(wall):R} {Median(cpu):R}"));
    }

    private static (double Seconds, double CpuSeconds) MeasureOnce(Func<long> run, TextWriter log)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        QuietGate.Wait(log);
        TimeSpan cpuBefore = Environment.CpuUsage.TotalTime;
        long start = Stopwatch.GetTimestamp();
        run();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return (seconds, (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds);
    }

    /// <summary>Runs the <c>measure</c> command in a fresh process, so that each benchmark's code is
    /// compiled for it alone (as BenchmarkDotNet does), and reads its result.</summary>
    private static (double Seconds, double CpuSeconds) MeasureInChild(string name, IReadOnlyList<string> dataOptions)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        start.ArgumentList.Add(typeof(Profile).Assembly.Location);
        start.ArgumentList.Add("measure");
        start.ArgumentList.Add(name);
        foreach (string option in dataOptions)
        {
            start.ArgumentList.Add(option);
        }

        using Process child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the measuring process.");
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        string last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? string.Empty;
        string[] parts = last.Split(' ');
        if (child.ExitCode != 0 || parts.Length != 2)
        {
            throw new InvalidOperationException($"Measuring {name} failed (exit {child.ExitCode}): {output}");
        }

        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static void Time(TextWriter log, int repeat, string name, long bytes, Func<long> action)
    {
        if (!Wants(name))
        {
            return;
        }

        bool perThread = Environment.GetEnvironmentVariable("FORGEWATCH_PROFILE_THREADS") == "1";
        double best = double.MaxValue;
        double cpuAtBest = 0;
        long allocated = 0;
        int[] gcs = new int[3];
        double pauseAtBest = 0;
        for (int i = 0; i < repeat; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            QuietGate.Wait(log);
            int[] before = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            long allocBefore = GC.GetTotalAllocatedBytes(precise: true);
            TimeSpan pauseBefore = GC.GetTotalPauseDuration();
            Dictionary<int, (string Name, long Ticks)> threadsBefore = perThread ? ThreadTicks() : [];
            TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            action();
            double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            if (perThread)
            {
                // Clock ticks (1/100 s) each thread burned: shows which stages ran side by side.
                var busy = ThreadTicks()
                    .Select(t => (t.Value.Name, Ticks: t.Value.Ticks - (threadsBefore.TryGetValue(t.Key, out var b) ? b.Ticks : 0)))
                    .Where(t => t.Ticks > 1)
                    .OrderByDescending(t => t.Ticks);
                log.WriteLine($"    {name}: wall {wall:F2} s, cpu {cpu:F2} s; threads: {string.Join(", ", busy.Select(t => $"{t.Name}={t.Ticks / 100.0:F2}s"))}");
            }
            if (wall < best)
            {
                best = wall;
                cpuAtBest = cpu;
                pauseAtBest = (GC.GetTotalPauseDuration() - pauseBefore).TotalSeconds;
                allocated = GC.GetTotalAllocatedBytes(precise: true) - allocBefore;
                for (int g = 0; g < 3; g++)
                {
                    gcs[g] = GC.CollectionCount(g) - before[g];
                }
            }
        }

        log.WriteLine($"{name,-58} {best,7:F3} {bytes / 1e6 / best,7:F0} {cpuAtBest / best,5:F2} {allocated / 1e6,9:F0} {$"{gcs[0]}/{gcs[1]}/{gcs[2]}",12} {pauseAtBest,8:F3}");
    }

    private static bool Wants(string stage) => s_only is null || stage.Contains(s_only, StringComparison.OrdinalIgnoreCase);

    private static Dictionary<int, (string Name, long Ticks)> ThreadTicks()
    {
        var result = new Dictionary<int, (string, long)>();
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                string stat = File.ReadAllText(Path.Combine(task, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                long ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
                string name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                result[int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture)] = (name, ticks);
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }

        return result;
    }

    private static long Drain(Stream stream)
    {
        using (stream)
        {
            byte[] buffer = new byte[Baselines.BlockSize];
            long total = 0;
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                total += n;
            }

            return total;
        }
    }

    private static long DrainOpened(string path)
    {
        using ContentOpener opened = ContentOpener.Open(new InputFile(path, 0), _ => { });
        return Drain(opened.Content);
    }

    /// <summary>Frames a file the way LogReader does; chunks are kept in <paramref name="keep"/> or released.</summary>
    internal static long Frame(string path, List<RecordChunk>? keep)
    {
        using ContentOpener opened = ContentOpener.Open(new InputFile(path, 0), _ => { });
        InputFormat format = FormatSniffer.Sniff(opened.Head.Span, out _);
        var target = new CollectingTarget(keep);
        var options = new LogReaderOptions();
        switch (format)
        {
            case InputFormat.JsonLines:
                // As LogReader frames JSON Lines: the scanner checks each line's UTF-8.
                opened.Validator.Checking = false;
                new JsonLinesFramer(path, options.ChunkBytes, options.MaxRecordBytes).Run(opened.Content, target, CancellationToken.None);
                break;
            case InputFormat.UalCsv:
                new CsvRowsFramer(path, options.ChunkBytes, options.MaxRecordBytes).Run(opened.Content, target, CancellationToken.None);
                break;
            default:
                throw new InvalidOperationException($"{path} sniffed as {format}.");
        }

        return target.Chunks;
    }

    /// <summary>Every token of every line, with System.Text.Json's reader or the normalizers' scanner.</summary>
    // The same passes as the stages command's, over every chunk.
    private static long TokenizeLines(List<RecordChunk> chunks, bool scanner) =>
        chunks.Sum(chunk => InterleavedStages.Tokens(chunk, scanner));

    private static long LoadFieldsOnly(List<RecordChunk> chunks)
    {
        var fields = new RecordFields(new Utf8StringPool());
        return chunks.Sum(chunk => InterleavedStages.Load(chunk, fields));
    }

    private static long ParseAll(List<RecordChunk> chunks, long expected)
    {
        var parser = new ChunkParser();
        long events = 0;
        foreach (RecordChunk chunk in chunks)
        {
            events += parser.Parse(chunk).Events.Count;
        }

        return Check(events, expected);
    }

    private static long ParseAllParallel(List<RecordChunk> chunks, long expected)
    {
        long events = 0;
        Parallel.ForEach(
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = 2 },
            () => (Parser: new ChunkParser(), Count: 0L),
            (chunk, _, local) => (local.Parser, local.Count + local.Parser.Parse(chunk).Events.Count),
            local => Interlocked.Add(ref events, local.Count));
        return Check(events, expected);
    }

    private static long SepOnly(string path)
    {
        using var csv = Sep.Reader(o => o with { Unescape = true, DisableColCountCheck = true }).FromFile(path);
        int column = csv.Header.IndexOf("AuditData");
        long chars = 0;
        foreach (SepReader.Row row in csv)
        {
            chars += row[column].Span.Length;
        }

        return chars;
    }

    private static long Read(string path, int parallelism, long expected)
    {
        long events = 0;
        var reader = new LogReader(new LogReaderOptions { Parallelism = parallelism, FilesAtOnce = 1 });
        reader.ReadAsync([new InputFile(path, new FileInfo(path).Length)], batch => events += batch.Events.Count).GetAwaiter().GetResult();
        return Check(events, expected);
    }

    private static long Check(long events, long expected) =>
        events == expected ? events : throw new InvalidOperationException($"Read {events} events, expected {expected}.");

    internal static void Release(List<RecordChunk> chunks)
    {
        foreach (RecordChunk chunk in chunks)
        {
            chunk.Release();
        }

        chunks.Clear();
    }

    private sealed class CollectingTarget(List<RecordChunk>? keep) : IChunkTarget
    {
        public long Chunks { get; private set; }

        public void Post(RecordChunk chunk, CancellationToken cancellationToken)
        {
            Chunks++;
            if (keep is null)
            {
                chunk.Release();
            }
            else
            {
                keep.Add(chunk);
            }
        }
    }
}
