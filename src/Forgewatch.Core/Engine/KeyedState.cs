using System.Runtime.InteropServices;

namespace Forgewatch.Core.Engine;

/// <summary>
/// Detection state keyed by (tenant, entity): the only state detections keep, so that a host can place
/// each key wherever it likes (one process for a scan, a partition of a cluster later). Keys compare
/// without regard to case, as Microsoft 365 does for names and ids. Not thread-safe.
/// </summary>
public sealed class KeyedState<TState>
    where TState : class
{
    private readonly Dictionary<TenantKey, TState> _states = new(TenantKey.Comparer);

    public int Count => _states.Count;

    /// <summary>The state of a key, made by <paramref name="create"/> when the key is new.</summary>
    public TState GetOrAdd(string tenant, string entity, Func<TState> create)
    {
        ref TState? state = ref CollectionsMarshal.GetValueRefOrAddDefault(_states, new TenantKey(tenant, entity), out _);
        return state ??= create();
    }

    /// <summary>The state of a key, made by <paramref name="create"/> from <paramref name="argument"/> when
    /// the key is new (lets callers pass a static lambda and allocate nothing for known keys).</summary>
    public TState GetOrAdd<TArgument>(string tenant, string entity, Func<TArgument, TState> create, TArgument argument)
    {
        ref TState? state = ref CollectionsMarshal.GetValueRefOrAddDefault(_states, new TenantKey(tenant, entity), out _);
        return state ??= create(argument);
    }

    public TState? Find(string tenant, string entity) => _states.GetValueOrDefault(new TenantKey(tenant, entity));

    /// <summary>Drops the keys whose state <paramref name="expired"/> says is no longer needed.</summary>
    public int RemoveWhere(Func<TState, bool> expired)
    {
        int removed = 0;
        foreach ((TenantKey key, TState state) in _states)
        {
            if (expired(state))
            {
                _states.Remove(key);
                removed++;
            }
        }

        return removed;
    }
}

/// <summary>A tenant and an entity in it (a mailbox, a user, an address, an application...).</summary>
public readonly record struct TenantKey(string Tenant, string Entity)
{
    /// <summary>Compares both parts ordinally, ignoring case.</summary>
    public static readonly IEqualityComparer<TenantKey> Comparer = new IgnoreCase();

    private sealed class IgnoreCase : IEqualityComparer<TenantKey>
    {
        public bool Equals(TenantKey x, TenantKey y) =>
            string.Equals(x.Entity, y.Entity, StringComparison.OrdinalIgnoreCase)
            && string.Equals(x.Tenant, y.Tenant, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode(TenantKey obj) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Tenant), StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Entity));
    }
}
