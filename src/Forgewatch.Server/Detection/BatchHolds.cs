namespace Forgewatch.Server.Detection;

/// <summary>
/// Batches of a tenant being read and stored right now. Batches are taken several at a time, so a later
/// batch can be committed before an earlier one; if the detections moved past the earlier batch's records
/// meanwhile, those would arrive late and cost a rewind. While a batch is in flight, its tenant's horizon
/// stays at or before the batch's earliest record: at first at the horizon of what was committed when the
/// batch came in, then, once it is read, at its earliest record. Thread-safe.
/// </summary>
public sealed class BatchHolds
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<Hold>> _holds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LogPipes> _committed = new(StringComparer.Ordinal);

    /// <summary>Holds the tenant's horizon at that of the records committed so far until the batch is read
    /// (<see cref="Hold.Narrow"/>) and stored (dispose).</summary>
    public Hold Take(string tenant)
    {
        lock (_lock)
        {
            var hold = new Hold(this, tenant, _committed.TryGetValue(tenant, out LogPipes? pipes) ? pipes.Horizon() : DateTime.MinValue);
            if (!_holds.TryGetValue(tenant, out List<Hold>? holds))
            {
                holds = [];
                _holds[tenant] = holds;
            }

            holds.Add(hold);
            return hold;
        }
    }

    /// <summary>Records of the tenant were committed: later holds start from their times.</summary>
    public void Committed(string tenant, IEnumerable<Core.Events.AuditEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        lock (_lock)
        {
            if (!_committed.TryGetValue(tenant, out LogPipes? pipes))
            {
                pipes = new LogPipes();
                _committed[tenant] = pipes;
            }

            foreach (Core.Events.AuditEvent e in events)
            {
                pipes.Add(e);
            }
        }
    }

    /// <summary>How far the tenant's horizon may go: the earliest of its holds, or <see cref="DateTime.MaxValue"/>.</summary>
    public DateTime Limit(string tenant)
    {
        lock (_lock)
        {
            DateTime limit = DateTime.MaxValue;
            if (_holds.TryGetValue(tenant, out List<Hold>? holds))
            {
                foreach (Hold hold in holds)
                {
                    limit = hold.Until < limit ? hold.Until : limit;
                }
            }

            return limit;
        }
    }

    private void Release(Hold hold)
    {
        lock (_lock)
        {
            if (_holds.TryGetValue(hold.Tenant, out List<Hold>? holds) && holds.Remove(hold) && holds.Count == 0)
            {
                _holds.Remove(hold.Tenant);
            }
        }
    }

    /// <summary>One batch in flight.</summary>
    public sealed class Hold : IDisposable
    {
        private readonly BatchHolds _owner;

        internal Hold(BatchHolds owner, string tenant, DateTime until)
        {
            _owner = owner;
            Tenant = tenant;
            Until = until;
        }

        public string Tenant { get; }

        /// <summary>The horizon may not pass this time while the batch is in flight.</summary>
        public DateTime Until { get; private set; }

        /// <summary>The batch is read: the horizon may go up to its earliest record.</summary>
        public void Narrow(DateTime earliest)
        {
            lock (_owner._lock)
            {
                Until = earliest;
            }
        }

        public void Dispose() => _owner.Release(this);
    }
}
