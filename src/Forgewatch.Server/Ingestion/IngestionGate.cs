namespace Forgewatch.Server.Ingestion;

/// <summary>
/// The bounded queue in front of ingestion: at most <c>concurrent</c> batches are read and stored at once and
/// at most <c>waiting</c> more wait their turn. A batch beyond that is refused at once (the endpoint answers
/// 429 with <c>Retry-After</c>) rather than held in memory: a sender that outruns the store is told to slow
/// down, and the server's memory stays bounded. Thread-safe.
/// </summary>
public sealed class IngestionGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly int _capacity;
    private int _admitted;

    public IngestionGate(int concurrent, int waiting)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrent, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(waiting);
        _slots = new SemaphoreSlim(concurrent, concurrent);
        _capacity = concurrent + waiting;
    }

    /// <summary>Batches being stored or waiting to be.</summary>
    public int Depth => Volatile.Read(ref _admitted);

    /// <summary>A turn, once one is free, or null at once when the queue is full. Dispose the turn to free
    /// it.</summary>
    public async ValueTask<IDisposable?> TryEnterAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _admitted) > _capacity)
        {
            Interlocked.Decrement(ref _admitted);
            return null;
        }

        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Decrement(ref _admitted);
            throw;
        }

        return new Turn(this);
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Turn(IngestionGate gate) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                gate._slots.Release();
                Interlocked.Decrement(ref gate._admitted);
            }
        }
    }
}
