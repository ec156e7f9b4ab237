using System.Runtime.InteropServices;
using Forgewatch.Core.Engine.Snapshots;

namespace Forgewatch.Core.Engine;

/// <summary>
/// Detection state keyed by (tenant, entity): the only state detections keep, so that a host can place
/// each key wherever it likes (one process for a scan, a partition of a cluster later). Keys compare
/// without regard to case, as Microsoft 365 does for names and ids. Held as one table per tenant, the
/// last tenant remembered: events come tenant after tenant far more often than not. Not thread-safe.
/// </summary>
public sealed class KeyedState<TState>
    where TState : class
{
    private readonly Dictionary<string, Dictionary<string, TState>> _tenants = new(StringComparer.OrdinalIgnoreCase);
    private string? _lastTenant;
    private Dictionary<string, TState>? _lastStates;

    /// <summary>Keys held, over all tenants.</summary>
    public int Count { get; private set; }

    /// <summary>True when the keys grew by half since the last <see cref="RemoveWhere"/>: sweeping only
    /// then costs a constant amount per key added, however often a detection would like to sweep.</summary>
    public bool GrewSinceSweep => Count > (_countAfterSweep * 3 / 2) + 64;

    private int _countAfterSweep;

    /// <summary>The state of a key, made by <paramref name="create"/> when the key is new.</summary>
    public TState GetOrAdd(string tenant, string entity, Func<TState> create) =>
        GetOrAdd(tenant, entity, static create => create(), create);

    /// <summary>The state of a key, made by <paramref name="create"/> from <paramref name="argument"/> when
    /// the key is new (lets callers pass a static lambda and allocate nothing for known keys).</summary>
    public TState GetOrAdd<TArgument>(string tenant, string entity, Func<TArgument, TState> create, TArgument argument)
    {
        ref TState? state = ref CollectionsMarshal.GetValueRefOrAddDefault(StatesOf(tenant, add: true)!, entity, out bool exists);
        if (!exists)
        {
            Count++;
        }

        return state ??= create(argument);
    }

    public TState? Find(string tenant, string entity) =>
        StatesOf(tenant, add: false) is { } states && states.TryGetValue(entity, out TState? state) ? state : null;

    /// <summary>Drops the keys whose state <paramref name="expired"/> says is no longer needed.</summary>
    public int RemoveWhere(Func<TState, bool> expired)
    {
        int removed = 0;
        foreach (Dictionary<string, TState> states in _tenants.Values)
        {
            foreach ((string entity, TState state) in states)
            {
                if (expired(state))
                {
                    states.Remove(entity);
                    removed++;
                }
            }
        }

        Count -= removed;
        _countAfterSweep = Count;
        return removed;
    }

    /// <summary>Writes every key, tenant by tenant in table order, each state with <paramref name="write"/>,
    /// and the count the next sweep is measured against.</summary>
    public void Write(SnapshotWriter writer, Action<SnapshotWriter, TState> write)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(write);
        writer.WriteItems(_tenants, (w, tenant) =>
        {
            w.WriteString(tenant.Key);
            w.WriteItems(tenant.Value, (w, key) =>
            {
                w.WriteString(key.Key);
                write(w, key.Value);
            });
        });
        writer.WriteInt32(_countAfterSweep);
    }

    /// <summary>Replaces every key with those <see cref="Write"/> wrote, in the same order and compared
    /// without regard to case, each state made by <paramref name="read"/>.</summary>
    public void Read(SnapshotReader reader, Func<SnapshotReader, TState> read)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(read);
        _tenants.Clear();
        _lastTenant = null;
        _lastStates = null;
        Count = 0;
        reader.ReadItems(r =>
        {
            var states = new Dictionary<string, TState>(StringComparer.OrdinalIgnoreCase);
            _tenants.Add(r.ReadString(), states);
            r.ReadItems(r => states.Add(r.ReadString(), read(r)));
            Count += states.Count;
        });
        _countAfterSweep = reader.ReadInt32();
    }

    private Dictionary<string, TState>? StatesOf(string tenant, bool add)
    {
        if (ReferenceEquals(tenant, _lastTenant))
        {
            return _lastStates;
        }

        if (!_tenants.TryGetValue(tenant, out Dictionary<string, TState>? states))
        {
            if (!add)
            {
                return null;
            }

            states = new Dictionary<string, TState>(StringComparer.OrdinalIgnoreCase);
            _tenants[tenant] = states;
        }

        _lastTenant = tenant;
        _lastStates = states;
        return states;
    }
}
