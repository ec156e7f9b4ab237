using System.Collections.Concurrent;
using Forgewatch.Core.Events;

namespace Forgewatch.Server.Detection;

/// <summary>
/// The new events of batches just committed, handed from the request that stored them to the detections, so
/// that taking them in does not read them back from the store and decode them again. Only a shortcut: the
/// store's list of batches still says what to take (<see cref="TenantDetection.CatchUp"/>), and a batch not held
/// here is read from the store. Bounded: while the detections are behind by more than <c>maxEvents</c>, further
/// batches are not held. Thread-safe.
/// </summary>
public sealed class CommittedBatches(int maxEvents = CommittedBatches.DefaultMaxEvents)
{
    public const int DefaultMaxEvents = 100_000;

    private readonly ConcurrentDictionary<(string Tenant, long Batch), IReadOnlyList<AuditEvent>> _batches = new();
    private int _held;

    /// <summary>Events held.</summary>
    public int Held => Volatile.Read(ref _held);

    public void Add(string tenant, long batch, IReadOnlyList<AuditEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        if (Interlocked.Add(ref _held, events.Count) > maxEvents || !_batches.TryAdd((tenant, batch), events))
        {
            Interlocked.Add(ref _held, -events.Count);
        }
    }

    /// <summary>The batch's new events, removed from here; null when they were not held.</summary>
    public IReadOnlyList<AuditEvent>? Take(string tenant, long batch)
    {
        if (_batches.TryRemove((tenant, batch), out IReadOnlyList<AuditEvent>? events))
        {
            Interlocked.Add(ref _held, -events.Count);
            return events;
        }

        return null;
    }

    /// <summary>Drops the tenant's batches up to <paramref name="batch"/> (taken in some other way).</summary>
    public void Forget(string tenant, long batch = long.MaxValue)
    {
        foreach ((string Tenant, long Batch) key in _batches.Keys)
        {
            if (key.Tenant == tenant && key.Batch <= batch)
            {
                Take(key.Tenant, key.Batch);
            }
        }
    }
}
