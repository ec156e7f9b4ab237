using System.Diagnostics;
using Forgewatch.Sources.Framing;
using Forgewatch.Sources.Normalization;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Benchmarks;

/// <summary>
/// The <c>scaling</c> command: how much faster two threads get through the same work than one, stage by
/// stage, in memory. Chunks are taken two at a time; each stage runs them one after the other on one
/// thread, then side by side on two, and the two times are compared right away, so that the machine's
/// speed swings cancel out. A stage that scales worse than the tokenizer shares something (caches,
/// memory bandwidth, the allocator and collector) that the two-core reader then pays for.
/// </summary>
internal static class TwoThreadScaling
{
    public static void Run(BenchData data, int rounds, TextWriter log)
    {
        var chunks = new List<RecordChunk>();
        Profile.Frame(data.JsonlPath, chunks);
        (string Name, Func<Func<RecordChunk, long>> NewRunner)[] stages =
        [
            ("Utf8JsonReader tokens", () => chunk => InterleavedStages.Tokens(chunk, scanner: false)),
            ("JsonScanner tokens", () => chunk => InterleavedStages.Tokens(chunk, scanner: true)),
            ("RecordFields.Load", () =>
            {
                var fields = new RecordFields(new Utf8StringPool());
                return chunk => InterleavedStages.Load(chunk, fields);
            }),
            ("ChunkParser.Parse (normalize)", () =>
            {
                var parser = new ChunkParser();
                return chunk => parser.Parse(chunk).Events.Count;
            }),
        ];

        Func<RecordChunk, long>[] mine = stages.Select(s => s.NewRunner()).ToArray();
        Func<RecordChunk, long>[] helpers = stages.Select(s => s.NewRunner()).ToArray();
        using var helper = new Helper();
        var scaling = stages.Select(_ => new List<double>()).ToArray();
        var sequentialSeconds = new double[stages.Length];
        var parallelSeconds = new double[stages.Length];
        for (int round = -1; round < rounds; round++)
        {
            // Round -1 warms up and tiers up the code; it is not counted.
            double[] seq = new double[stages.Length];
            double[] par = new double[stages.Length];
            for (int c = 0; c + 1 < chunks.Count; c += 2)
            {
                for (int k = 0; k < stages.Length; k++)
                {
                    int s = (k + c / 2) % stages.Length;
                    RecordChunk a = chunks[c], b = chunks[c + 1];

                    long start = Stopwatch.GetTimestamp();
                    mine[s](a);
                    mine[s](b);
                    seq[s] += Stopwatch.GetElapsedTime(start).TotalSeconds;

                    start = Stopwatch.GetTimestamp();
                    helper.Start(() => helpers[s](b));
                    mine[s](a);
                    helper.Wait();
                    par[s] += Stopwatch.GetElapsedTime(start).TotalSeconds;
                }
            }

            if (round >= 0)
            {
                for (int s = 0; s < stages.Length; s++)
                {
                    scaling[s].Add(seq[s] / par[s]);
                    sequentialSeconds[s] += seq[s] / rounds;
                    parallelSeconds[s] += par[s] / rounds;
                }
            }
        }

        Profile.Release(chunks);
        log.WriteLine($"JSON Lines {data.JsonlBytes / 1e6:F0} MB in memory, chunks two at a time, {rounds} rounds: one thread after the other, then two side by side.");
        log.WriteLine("Scaling = time on one thread / time on two (2.00 is perfect); median of rounds, min-max.");
        log.WriteLine();
        log.WriteLine("| Stage | One thread s/pass | Two threads s/pass | Scaling (min-max) |");
        log.WriteLine("|---|---:|---:|---:|");
        for (int s = 0; s < stages.Length; s++)
        {
            List<double> sorted = scaling[s].Order().ToList();
            log.WriteLine($"| {stages[s].Name} | {sequentialSeconds[s]:F3} | {parallelSeconds[s]:F3} | {sorted[sorted.Count / 2]:F2} ({sorted[0]:F2}-{sorted[^1]:F2}) |");
        }
    }

    /// <summary>A second thread that runs one job at a time when told to.</summary>
    private sealed class Helper : IDisposable
    {
        private readonly Thread _thread;
        private readonly SemaphoreSlim _go = new(0);
        private readonly SemaphoreSlim _done = new(0);
        private Action? _job;
        private bool _stop;

        public Helper()
        {
            _thread = new Thread(Loop) { IsBackground = true, Name = "scaling helper" };
            _thread.Start();
        }

        public void Start(Action job)
        {
            _job = job;
            _go.Release();
        }

        public void Wait() => _done.Wait();

        public void Dispose()
        {
            _stop = true;
            _go.Release();
            _thread.Join();
            _go.Dispose();
            _done.Dispose();
        }

        private void Loop()
        {
            while (true)
            {
                _go.Wait();
                if (_stop)
                {
                    return;
                }

                _job!();
                _done.Release();
            }
        }
    }
}
