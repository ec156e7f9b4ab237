using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Forgewatch.Benchmarks.Tokens;

/// <summary>
/// The <c>tokens-pairs</c> command: the same four contenders as <see cref="TokenBenchmarks"/>, in one process,
/// interleaved block by block (the order rotating each round), so that a machine whose speed changes from
/// minute to minute slows all three alike. Each block runs whole passes over the
/// <see cref="TokenFixture.Count"/> tokens for about 20 ms; it is timed by the wall clock and by the thread's
/// own CPU time (<c>clock_gettime</c>, which leaves out time the thread spent waiting for a core). Ratios are
/// medians of per-round ratios. A steadier check of the same targets on a shared machine, not a replacement
/// for the BenchmarkDotNet run.
/// </summary>
internal static class TokenPairs
{
    private static readonly TimeSpan BlockTime = TimeSpan.FromMilliseconds(20);

    public static void Run(int rounds, string? only, TextWriter log)
    {
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Token verification, {rounds} interleaved rounds of ~{BlockTime.TotalMilliseconds:F0} ms blocks per contender; {TokenFixture.Count} tokens per pass; load {LoadAverage()}."));
        log.WriteLine("Times are medians per token; speed ratios are medians (min-max) of per-round ratios: the other's time / this one's.");
        foreach (Type type in TokenRun.Classes)
        {
            if (only is not null && !type.Name.Contains(only, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var benchmarks = (TokenBenchmarks)Activator.CreateInstance(type)!;
            benchmarks.Setup();
            try
            {
                Measure(type.Name, benchmarks, rounds, log);
            }
            finally
            {
                benchmarks.Cleanup();
            }
        }
    }

    private static void Measure(string name, TokenBenchmarks benchmarks, int rounds, TextWriter log)
    {
        (string Name, Func<int> Pass)[] contenders =
        [
            (TokenBenchConfig.BareMethod, benchmarks.Bare),
            (TokenBenchConfig.VerifierMethod, benchmarks.Forgewatch_TokenVerifier),
            (TokenBenchConfig.HandlerMethod, () => benchmarks.JsonWebTokenHandler_ValidateTokenAsync().GetAwaiter().GetResult()),
            (TokenBenchConfig.SignatureOnlyMethod, benchmarks.Forgewatch_SignatureOnly),
        ];

        // Warm-up long enough for tiered compilation to reach its optimized code, and the block sizes.
        int[] passes = new int[contenders.Length];
        long[] bytes = new long[contenders.Length];
        for (int warm = 0; warm < 3; warm++)
        {
            for (int c = 0; c < contenders.Length; c++)
            {
                var clock = Stopwatch.StartNew();
                int count = 0;
                while (clock.Elapsed < TimeSpan.FromMilliseconds(400))
                {
                    contenders[c].Pass();
                    count++;
                }

                passes[c] = Math.Max(1, (int)(count * BlockTime.TotalMilliseconds / clock.Elapsed.TotalMilliseconds));
            }
        }

        for (int c = 0; c < contenders.Length; c++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            contenders[c].Pass();
            bytes[c] = (GC.GetAllocatedBytesForCurrentThread() - before) / TokenFixture.Count;
        }

        var wall = contenders.Select(_ => new List<double>()).ToArray();
        var cpu = contenders.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < contenders.Length; k++)
            {
                int c = (k + round) % contenders.Length;
                long cpuBefore = ThreadCpuNs();
                long start = Stopwatch.GetTimestamp();
                for (int p = 0; p < passes[c]; p++)
                {
                    contenders[c].Pass();
                }

                double tokens = (double)passes[c] * TokenFixture.Count;
                wall[c].Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / tokens);
                cpu[c].Add((ThreadCpuNs() - cpuBefore) / tokens);
            }
        }

        const int Verifier = 1, Handler = 2, SignatureOnly = 3;
        (double bareTarget, double handlerTarget) = TokenBenchConfig.Targets(name);
        log.WriteLine();
        log.WriteLine($"### {name}");
        log.WriteLine();
        log.WriteLine("| Contender | µs/token (wall) | Tokens/s | µs/token (thread CPU) | Verifier's speed over it, wall | same, CPU | Allocated B/token |");
        log.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        for (int c = 0; c < contenders.Length; c++)
        {
            double w = Median(wall[c]);
            string overWall = c == Verifier ? "" : Ratios(wall[c], wall[Verifier]);
            string overCpu = c == Verifier ? "" : Ratios(cpu[c], cpu[Verifier]);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {contenders[c].Name} | {w / 1000:F2} | {1e9 / w:N0} | {Median(cpu[c]) / 1000:F2} | {overWall} | {overCpu} | {bytes[c]} |"));
        }

        log.WriteLine();
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Targets: the verifier's speed over the bare primitive >= {bareTarget:F2}, over JsonWebTokenHandler >= {handlerTarget:F2}; <= {TokenBenchConfig.MaxBytesPerToken} B per token."));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Ceiling: JsonWebTokenHandler over the signature check alone is {Ratios(wall[Handler], wall[SignatureOnly])} (wall): no verifier that checks signatures this way can be faster than that over the handler."));
    }

    /// <summary>Median (min-max) of <paramref name="other"/>[i] / <paramref name="own"/>[i].</summary>
    private static string Ratios(List<double> other, List<double> own)
    {
        List<double> ratios = [.. other.Zip(own, (o, v) => o / v)];
        return string.Create(CultureInfo.InvariantCulture, $"{Median(ratios):F2} ({ratios.Min():F2}-{ratios.Max():F2})");
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>This thread's CPU time in ns (<c>CLOCK_THREAD_CPUTIME_ID</c>), or 0 where it cannot be read.</summary>
    private static long ThreadCpuNs()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        const int ClockThreadCpuTimeId = 3;
        return NativeMethods.clock_gettime(ClockThreadCpuTimeId, out TimeSpec now) == 0 ? (now.Seconds * 1_000_000_000) + now.Nanoseconds : 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = false)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int clock_gettime(int clock, out TimeSpec time);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";
}
