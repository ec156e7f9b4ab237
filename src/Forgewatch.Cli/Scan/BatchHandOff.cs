using System.Collections.Concurrent;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Cli.Scan;

/// <summary>
/// Runs a batch consumer on a thread of its own, fed through a small bounded queue. The reader hands each
/// batch to its consumer while holding a lock, so a consumer that does real work (the scan's spools every
/// event) would make the parsing workers wait for one another; handed off, consuming overlaps parsing.
/// A full queue blocks the reader, which is the backpressure; a consumer fault stops the read.
/// </summary>
internal sealed class BatchHandOff : IDisposable
{
    private const int Capacity = 8;

    private readonly BlockingCollection<ReadBatch> _batches = new(Capacity);
    private readonly CancellationTokenSource _failed = new();
    private readonly Task _consuming;

    public BatchHandOff(Action<ReadBatch> consume)
    {
        _consuming = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    foreach (ReadBatch batch in _batches.GetConsumingEnumerable())
                    {
                        consume(batch);
                    }
                }
                catch
                {
                    _failed.Cancel();
                    throw;
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>Queues a batch (the reader's callback); throws when the consumer has failed.</summary>
    public void Add(ReadBatch batch) => _batches.Add(batch, _failed.Token);

    /// <summary>No more batches: waits until every queued batch is consumed (rethrows the consumer's fault).</summary>
    public Task CompleteAsync()
    {
        _batches.CompleteAdding();
        return _consuming;
    }

    public void Dispose()
    {
        _batches.CompleteAdding();
        _batches.Dispose();
        _failed.Dispose();
    }
}
