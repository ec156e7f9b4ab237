using System.Diagnostics;
using System.Globalization;

namespace Forgewatch.Benchmarks;

/// <summary>
/// CPU time of each benchmark invocation, next to its wall time: "OneCore" means one parsing worker,
/// but the file is framed on a thread of its own, so wall-clock speed alone does not tell how many cores
/// a reader used. The benchmark processes append one line per invocation (warmups included) to the file
/// the host names in <see cref="Variable"/>; the host's columns read it back.
/// </summary>
public static class CpuLog
{
    public const string Variable = "FORGEWATCH_BENCH_CPU_LOG";

    public static T Measure<T>(string benchmark, Func<T> body)
    {
        TimeSpan cpu = Environment.CpuUsage.TotalTime;
        long start = Stopwatch.GetTimestamp();
        T result = body();
        Append(benchmark, Stopwatch.GetElapsedTime(start), Environment.CpuUsage.TotalTime - cpu);
        return result;
    }

    public static async Task<T> MeasureAsync<T>(string benchmark, Func<Task<T>> body)
    {
        TimeSpan cpu = Environment.CpuUsage.TotalTime;
        long start = Stopwatch.GetTimestamp();
        T result = await body().ConfigureAwait(false);
        Append(benchmark, Stopwatch.GetElapsedTime(start), Environment.CpuUsage.TotalTime - cpu);
        return result;
    }

    /// <summary>Median CPU seconds and median cores busy (CPU / wall) of a benchmark's last
    /// <paramref name="last"/> invocations (the measured iterations; earlier ones are jitting and warmup).</summary>
    public static (double CpuSeconds, double Cores)? Median(string benchmark, int last)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { } path || !File.Exists(path))
        {
            return null;
        }

        var rows = File.ReadLines(path)
            .Select(line => line.Split('\t'))
            .Where(f => f.Length == 3 && f[0] == benchmark)
            .Select(f => (Wall: double.Parse(f[1], CultureInfo.InvariantCulture), Cpu: double.Parse(f[2], CultureInfo.InvariantCulture)))
            .ToList();
        rows = [.. rows.TakeLast(last)];
        if (rows.Count == 0)
        {
            return null;
        }

        return (MedianOf(rows.Select(r => r.Cpu)), MedianOf(rows.Select(r => r.Cpu / r.Wall)));
    }

    private static double MedianOf(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static void Append(string benchmark, TimeSpan wall, TimeSpan cpu)
    {
        if (Environment.GetEnvironmentVariable(Variable) is { } path)
        {
            File.AppendAllText(path, string.Create(CultureInfo.InvariantCulture, $"{benchmark}\t{wall.TotalSeconds:F6}\t{cpu.TotalSeconds:F6}\n"));
        }
    }
}
