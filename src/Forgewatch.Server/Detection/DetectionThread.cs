using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Forgewatch.Server.Detection;

/// <summary>
/// The one thread the detections run on, at a lower scheduling priority than the threads that answer requests
/// (a higher Linux nice value, <c>Forgewatch:DetectionNice</c>): when both want the cores, a batch is stored
/// and answered first, and the detections catch up on what was committed as soon as the cores are free. On a
/// machine with cores to spare nothing changes. Work runs one item at a time, in order.
/// </summary>
internal sealed partial class DetectionThread : IDisposable
{
    private readonly BlockingCollection<(Action Work, TaskCompletionSource Done)> _work = [];
    private readonly Thread _thread;
    private readonly int _nice;
    private int _disposed;

    public DetectionThread(int nice, string name = "Detections")
    {
        _nice = nice;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Whether the lower priority was applied (Linux only, and only when asked for).</summary>
    public bool Lowered { get; private set; }

    /// <summary>Runs <paramref name="work"/> on the thread; the task ends when it has (with its exception).</summary>
    public Task RunAsync(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _work.Add((work, done));
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            // Stopping: the work is not run.
            done.SetCanceled();
        }

        return done.Task;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _work.CompleteAdding();
        _thread.Join();
        _work.Dispose();
    }

    private void Run()
    {
        Lowered = _nice > 0 && OperatingSystem.IsLinux() && LowerThisThread(_nice);
        foreach ((Action work, TaskCompletionSource done) in _work.GetConsumingEnumerable())
        {
            try
            {
                work();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }
    }

    /// <summary>On Linux, <c>setpriority</c> with a thread id sets that thread's nice value alone.</summary>
    private static bool LowerThisThread(int nice)
    {
        try
        {
            return SetPriority(0, GetThreadId(), nice) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);
}
