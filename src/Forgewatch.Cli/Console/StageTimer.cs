using System.Diagnostics;
using System.Globalization;

namespace Forgewatch.Cli.Console;

/// <summary>
/// With <c>FORGEWATCH_TIMINGS=1</c> in the environment, prints how long each stage of a command took to
/// standard error (wall time and this process's CPU time), for benchmarks and for users asking where the
/// time went. Silent otherwise.
/// </summary>
internal static class StageTimer
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("FORGEWATCH_TIMINGS") == "1";
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private static TimeSpan _lastWall;
    private static TimeSpan _lastCpu;

    /// <summary>Reports the time from process start to now as "start-up" (call first thing).</summary>
    public static void Start()
    {
        if (Enabled)
        {
            _lastWall = Clock.Elapsed - (DateTime.Now - Process.GetCurrentProcess().StartTime);
            Mark("start-up");
        }
    }

    public static void Mark(string stage)
    {
        if (!Enabled)
        {
            return;
        }

        TimeSpan wall = Clock.Elapsed;
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        System.Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"forgewatch: timing {stage}: {(wall - _lastWall).TotalSeconds:F3} s wall, {(cpu - _lastCpu).TotalSeconds:F3} s CPU, {GC.GetTotalMemory(false) / (1 << 20)} MiB managed, GCs {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} (gen 0/1/2 so far), GC pauses {GC.GetTotalPauseDuration().TotalSeconds:F3} s so far"));
        _lastWall = wall;
        _lastCpu = cpu;
    }
}
