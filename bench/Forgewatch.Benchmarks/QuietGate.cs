using System.Diagnostics;
using System.Globalization;

namespace Forgewatch.Benchmarks;

/// <summary>
/// Waits, before each measured pass, until the machine's cores have been idle for a moment: on a shared
/// machine other jobs come and go, and a pass that runs beside one measures them, not the reader (a
/// two-core reader then shows one core busy). Untimed (BenchmarkDotNet's iteration setup). Gives up after
/// FORGEWATCH_BENCH_QUIET_SECONDS (default 120; 0 turns the gate off) and says so.
/// </summary>
public static class QuietGate
{
    private const double IdleEnough = 0.90;

    public static void Wait(TextWriter? log = null)
    {
        double limit = double.TryParse(Environment.GetEnvironmentVariable("FORGEWATCH_BENCH_QUIET_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out double s) ? s : 120;
        if (limit <= 0 || !File.Exists("/proc/stat"))
        {
            return;
        }

        var waited = Stopwatch.StartNew();
        double idle = 0;
        while (waited.Elapsed.TotalSeconds < limit)
        {
            idle = IdleFraction(TimeSpan.FromMilliseconds(500));
            if (idle >= IdleEnough)
            {
                if (waited.Elapsed.TotalSeconds > 1)
                {
                    log?.WriteLine($"// quiet gate: waited {waited.Elapsed.TotalSeconds:F0} s for idle cores");
                }

                return;
            }
        }

        log?.WriteLine($"// quiet gate: machine still busy after {limit:F0} s (idle {idle:P0}); measuring anyway");
    }

    /// <summary>Share of all cores' time spent idle over <paramref name="window"/> (from /proc/stat).</summary>
    private static double IdleFraction(TimeSpan window)
    {
        (long total0, long idle0) = Read();
        Thread.Sleep(window);
        (long total1, long idle1) = Read();
        return total1 > total0 ? (double)(idle1 - idle0) / (total1 - total0) : 1;
    }

    private static (long Total, long Idle) Read()
    {
        string line = File.ReadLines("/proc/stat").First();
        long[] values = [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture))];
        // user nice system idle iowait irq softirq steal ...
        return (values.Take(8).Sum(), values[3] + values[4]);
    }
}
