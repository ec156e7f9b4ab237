using System.Diagnostics;
using System.Text.Json;
using Forgewatch.Sources.Framing;
using Forgewatch.Sources.Normalization;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Benchmarks;

/// <summary>
/// The <c>stages</c> command: the JSON Lines stages in memory, interleaved chunk by chunk (each 1 MiB chunk
/// goes through every stage, in rotating order, before the next chunk), so that all stages meet the same
/// machine speed. On a machine whose speed swings from minute to minute, whole-file runs scatter by
/// ±20%; these ratios hold to a few percent from run to run. They are CPU per byte, one thread, without
/// file reading or framing. The reference is the baseline's own loop (one reader over the chunk); a reader
/// per line costs ~20% more, and measuring against it flatters the reader by as much. The one-core
/// reader's speed ratio comes to about 1.1 / (normalize's time ratio), the baseline's file reading being
/// the 1.1.
/// </summary>
internal static class InterleavedStages
{
    /// <summary>The baseline's loop (<see cref="Baselines.TokenizeJsonStream"/>): one reader over the whole
    /// chunk, values one after another, no reader per line.</summary>
    private const string Reference = "Utf8JsonReader tokens (as the baseline)";

    public static void Run(BenchData data, int rounds, TextWriter log)
    {
        var chunks = new List<RecordChunk>();
        Profile.Frame(data.JsonlPath, chunks);
        var fields = new RecordFields(new Utf8StringPool());
        var parser = new ChunkParser();
        (string Name, Func<RecordChunk, long> Run)[] stages =
        [
            (Reference, BaselineTokens),
            ("Utf8JsonReader tokens, a reader per line", chunk => Tokens(chunk, scanner: false)),
            ("JsonScanner tokens, a scanner per line", chunk => Tokens(chunk, scanner: true)),
            ("RecordFields.Load", chunk => Load(chunk, fields)),
            ("ChunkParser.Parse (normalize)", chunk => parser.Parse(chunk).Events.Count),
        ];

        var ratios = stages.Select(_ => new List<double>()).ToArray();
        var seconds = stages.Select(_ => new List<double>()).ToArray();
        long events = 0;
        for (int round = -1; round < rounds; round++)
        {
            // Round -1 warms up and tiers up the code; it is not counted.
            double[] sums = new double[stages.Length];
            events = 0;
            for (int c = 0; c < chunks.Count; c++)
            {
                for (int k = 0; k < stages.Length; k++)
                {
                    int s = (k + c) % stages.Length;
                    long start = Stopwatch.GetTimestamp();
                    long n = stages[s].Run(chunks[c]);
                    sums[s] += Stopwatch.GetElapsedTime(start).TotalSeconds;
                    if (s == stages.Length - 1)
                    {
                        events += n;
                    }
                }
            }

            if (events != data.Records)
            {
                throw new InvalidOperationException($"Normalized {events} events, expected {data.Records}.");
            }

            if (round >= 0)
            {
                for (int s = 0; s < stages.Length; s++)
                {
                    seconds[s].Add(sums[s]);
                    ratios[s].Add(sums[s] / sums[0]);
                }
            }
        }

        int chunkCount = chunks.Count;
        Profile.Release(chunks);
        log.WriteLine($"JSON Lines {data.JsonlBytes / 1e6:F0} MB in memory, {chunkCount} chunks, {rounds} rounds; each chunk through every stage in turn.");
        log.WriteLine($"Time is CPU per byte relative to {Reference} over the same lines (median of per-round ratios, quartiles); speed ratio = 1 / time ratio.");
        log.WriteLine();
        log.WriteLine("| Stage | Median s per pass | Time vs tokenizer (q1-q3) | Speed vs tokenizer |");
        log.WriteLine("|---|---:|---:|---:|");
        for (int s = 0; s < stages.Length; s++)
        {
            double median = Median(ratios[s], 0.5);
            log.WriteLine($"| {stages[s].Name} | {Median(seconds[s], 0.5):F3} | {median:F3} ({Median(ratios[s], 0.25):F3}-{Median(ratios[s], 0.75):F3}) | {1 / median:F2} |");
        }
    }

    private static double Median(List<double> values, double quantile)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Round(quantile * (sorted.Count - 1))];
    }

    internal static long BaselineTokens(RecordChunk chunk)
    {
        long tokens = 0;
        var reader = new Utf8JsonReader(chunk.Buffer.AsSpan(0, chunk.Length), new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    /// <summary>Tokens of each line with a reader (or scanner) of its own.</summary>
    internal static long Tokens(RecordChunk chunk, bool scanner)
    {
        long tokens = 0;
        ReadOnlySpan<byte> data = chunk.Buffer.AsSpan(0, chunk.Length);
        foreach (Range line in data.Split((byte)'\n'))
        {
            ReadOnlySpan<byte> json = data[line];
            if (json.IsEmpty)
            {
                continue;
            }

            if (scanner)
            {
                var reader = new JsonScanner(json);
                while (reader.Read())
                {
                    tokens++;
                }
            }
            else
            {
                var reader = new Utf8JsonReader(json);
                while (reader.Read())
                {
                    tokens++;
                }
            }
        }

        return tokens;
    }

    /// <summary>Each line's members located, as the normalizer does first.</summary>
    internal static long Load(RecordChunk chunk, RecordFields fields)
    {
        long records = 0;
        ReadOnlySpan<byte> data = chunk.Buffer.AsSpan(0, chunk.Length);
        foreach (Range line in data.Split((byte)'\n'))
        {
            (int offset, int length) = line.GetOffsetAndLength(data.Length);
            if (length > 0)
            {
                fields.Load(chunk.Buffer, offset, length);
                records++;
            }
        }

        return records;
    }
}
