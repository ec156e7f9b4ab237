using System.Collections.Concurrent;
using Forgewatch.Core.Alerts;
using Forgewatch.Core.Events;

namespace Forgewatch.Core.Engine;

/// <summary>
/// Runs detections over events in event-time order. Detections keep no state in common, so with two or more
/// cores they are split in two engines that see the same events in the same order: one on the calling thread
/// (which also produces the events), one on a worker fed in batches. Each engine has its own
/// <see cref="DetectionContext"/>; their alerts and evaluation counts are merged at the end, alerts ordered
/// by first evidence and id, so the outcome does not depend on the split or on thread timing.
/// </summary>
public static class DetectionRun
{
    private const int BatchSize = 2048;
    private const int QueuedBatches = 4;

    /// <summary>The outcome of running detections.</summary>
    /// <param name="Alerts">Every alert, earliest first, then by id.</param>
    /// <param name="Evaluation">What each detection could and could not evaluate.</param>
    /// <param name="Events">Events the detections looked at.</param>
    public sealed record Outcome(IReadOnlyList<Alert> Alerts, EvaluationLog Evaluation, long Events);

    /// <param name="events">Events with their tenants, in time order.</param>
    /// <param name="detections">The detections to run, fresh.</param>
    /// <param name="context">The context of the calling thread's engine; the worker's is made like it.</param>
    /// <param name="parallel">Split the detections over two threads (when there are at least two).</param>
    public static Outcome Run(IEnumerable<(AuditEvent Event, string Tenant)> events, IReadOnlyList<IDetection> detections, DetectionContext context, bool parallel)
    {
        if (!parallel || detections.Count < 2)
        {
            var alone = new DetectionEngine(detections, context);
            foreach ((AuditEvent e, string tenant) in events)
            {
                alone.Process(e, tenant);
            }

            alone.Finish();
            return new Outcome(Ordered(context.Alerts.Alerts), context.Evaluation, alone.Events);
        }

        // The calling thread also decodes the events, so it takes fewer detections: every other one from the
        // second, at most one less than half (two of the seven built-in ones), the worker the rest.
        int mine = Math.Max(1, (detections.Count / 2) - 1);
        HashSet<int> onCaller = [.. Enumerable.Range(0, detections.Count).Where(i => i % 2 == 1).Take(mine)];
        var here = new DetectionEngine([.. detections.Where((_, i) => onCaller.Contains(i))], context);
        var there = new DetectionEngine([.. detections.Where((_, i) => !onCaller.Contains(i))], new DetectionContext(context.Options, context.Indicators, context.Coverage));
        using var batches = new BlockingCollection<(AuditEvent, string)[]>(QueuedBatches);
        using var failed = new CancellationTokenSource();
        Task worker = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    foreach ((AuditEvent, string)[] batch in batches.GetConsumingEnumerable())
                    {
                        foreach ((AuditEvent e, string tenant) in batch)
                        {
                            there.Process(e, tenant);
                        }
                    }

                    there.Finish();
                }
                catch
                {
                    failed.Cancel();
                    throw;
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        try
        {
            var batch = new List<(AuditEvent, string)>(BatchSize);
            foreach ((AuditEvent e, string tenant) in events)
            {
                batch.Add((e, tenant));
                if (batch.Count == BatchSize)
                {
                    Hand(batch, batches, failed.Token);
                    batch.Clear();
                }
            }

            Hand(batch, batches, failed.Token);
            batches.CompleteAdding();
            here.Finish();
        }
        catch (OperationCanceledException) when (failed.IsCancellationRequested)
        {
            // The worker failed: its exception is the one to report.
        }
        finally
        {
            batches.CompleteAdding();
            worker.GetAwaiter().GetResult();
        }

        EvaluationLog evaluation = context.Evaluation;
        evaluation.Add(there.Context.Evaluation);
        return new Outcome(Ordered(context.Alerts.Alerts.Concat(there.Context.Alerts.Alerts)), evaluation, here.Events);

        void Hand(List<(AuditEvent, string)> pending, BlockingCollection<(AuditEvent, string)[]> queue, CancellationToken cancel)
        {
            if (pending.Count == 0)
            {
                return;
            }

            queue.Add([.. pending], cancel);
            foreach ((AuditEvent e, string tenant) in pending)
            {
                here.Process(e, tenant);
            }
        }
    }

    private static List<Alert> Ordered(IEnumerable<Alert> alerts) =>
        [.. alerts.OrderBy(a => a.FirstSeen).ThenBy(a => a.Id, StringComparer.Ordinal)];
}
