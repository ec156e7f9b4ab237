using Forgewatch.Core.Alerts;
using Forgewatch.Core.Events;
using Forgewatch.Server.Storage;

namespace Forgewatch.Server.Detection;

/// <summary>
/// The tenant's mail accesses that carry an actor key of one of its incidents: what the exposure pass reads.
/// Kept as records come in, so finding what an incident's actor read does not read the whole history again.
/// When an incident names a key not wanted before, the last <see cref="RecentCapacity"/> mail accesses (kept
/// in memory) are looked through at once, and the whole history is read from the store at most every
/// <c>rescanEvery</c> (a new incident every second must not cost a read of the history every second), and no
/// sooner than <see cref="CostSpacing.CostFactor"/> times what the last read took. The read runs in the background
/// (<c>background</c> runs it: the detections go on meanwhile, however long the history); what it found is
/// taken in at the first <see cref="Complete"/> after it ended. Until then the exposure of the new keys is
/// <see cref="Partial"/>, holding what they read among the recent records and since. With <c>rescanEvery</c>
/// 0 the history is read at once, on the caller's thread.
/// </summary>
public sealed class ExposureEvents(TimeSpan rescanEvery, Func<Action, Task>? background = null)
{
    private readonly Func<Action, Task> _background = background ?? (work => Task.Run(work));
    private readonly HashSet<ActorKey> _wanted = [];
    private readonly List<MailAccessEvent> _events = [];
    private readonly HashSet<string> _kept = new(StringComparer.Ordinal);
    private bool _sorted = true;
    private readonly CostSpacing _fullReads = new(rescanEvery);
    private readonly Queue<MailAccessEvent> _recent = new();

    /// <summary>Wanted keys whose whole history has been read.</summary>
    private readonly HashSet<ActorKey> _read = [];

    /// <summary>The read of the history under way, the keys it looks for and what it found.</summary>
    private (Task Done, HashSet<ActorKey> Keys, List<MailAccessEvent> Found)? _reading;

    /// <summary>Recent mail accesses kept for the keys of new incidents.</summary>
    public const int RecentCapacity = 20_000;

    /// <summary>True while keys wanted since the last read of the whole history have only their recent records.</summary>
    public bool Partial { get; private set; }

    /// <summary>The mail accesses carrying a wanted key, in time order (then record id).</summary>
    public IEnumerable<AuditEvent> Events
    {
        get
        {
            if (!_sorted)
            {
                _events.Sort(EventOrder.Compare);
                _sorted = true;
            }

            return _events;
        }
    }

    /// <summary>Keeps <paramref name="e"/> when it is a mail access carrying a wanted key.</summary>
    public void Offer(AuditEvent e)
    {
        if (e is not MailAccessEvent access)
        {
            return;
        }

        if (_recent.Count == RecentCapacity)
        {
            _recent.Dequeue();
        }

        _recent.Enqueue(access);
        if (_wanted.Count > 0 && Carries(_wanted, access))
        {
            Keep(access);
        }
    }

    /// <summary>Wants <paramref name="keys"/> too. When one is new, looks through the recent records for it at
    /// once and reads the tenant's whole history (of batches up to <paramref name="batch"/>, those taken in so
    /// far) when a read is due (<see cref="Complete"/>).</summary>
    public void Want(IEnumerable<ActorKey> keys, IServerStore store, string tenant, long batch)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(store);
        bool added = false;
        foreach (ActorKey key in keys)
        {
            added |= _wanted.Add(key);
        }

        if (!added)
        {
            return;
        }

        if (rescanEvery == TimeSpan.Zero)
        {
            ReadAll(store, tenant, batch);
            return;
        }

        Partial = true;
        Read(_recent);
        Complete(store, tenant, batch);
    }

    /// <summary>Takes in what a finished read of the history found; starts another when keys still want one
    /// and one is due.</summary>
    public void Complete(IServerStore store, string tenant, long batch)
    {
        if (_reading is { Done.IsCompleted: true } reading)
        {
            _reading = null;
            if (reading.Done.IsCompletedSuccessfully)
            {
                foreach (MailAccessEvent access in reading.Found)
                {
                    Keep(access);
                }

                _read.UnionWith(reading.Keys);
                Partial = !_read.IsSupersetOf(_wanted);
            }
            else
            {
                // Observed, and tried again when the next read is due: the exposure stays partial meanwhile.
                ReadFailed = reading.Done.Exception?.GetBaseException();
            }
        }

        // The history only grows: its reads stay a bounded share of the cores (and of the collector's work).
        if (Partial && _reading is null && _fullReads.Due)
        {
            var keys = new HashSet<ActorKey>(_wanted);
            var found = new List<MailAccessEvent>();
            long started = _fullReads.Start();
            _reading = (_background(() =>
            {
                found.AddRange(Carrying(History(store, tenant, batch), keys));
                _fullReads.Ended(started);
            }), keys, found);
        }
    }

    /// <summary>Why the last read of the history failed, if it did (it is tried again when due).</summary>
    public Exception? ReadFailed { get; private set; }

    /// <summary>The tenant's stored mail accesses of batches up to <paramref name="batch"/>, in time order (the
    /// store leaves the other events out without decoding them).</summary>
    private static IEnumerable<AuditEvent> History(IServerStore store, string tenant, long batch) =>
        StoredPages.Between(store, tenant, DateTime.MinValue, DateTime.MaxValue, batch, mailAccessOnly: true);

    private void ReadAll(IServerStore store, string tenant, long batch)
    {
        _events.Clear();
        _kept.Clear();
        _sorted = true;
        Read(History(store, tenant, batch));
        _read.UnionWith(_wanted);
        Partial = false;
    }

    private void Read(IEnumerable<AuditEvent> events)
    {
        foreach (MailAccessEvent access in Carrying(events, _wanted))
        {
            Keep(access);
        }
    }

    /// <summary>The mail accesses among <paramref name="events"/> that carry one of <paramref name="keys"/>.</summary>
    private static IEnumerable<MailAccessEvent> Carrying(IEnumerable<AuditEvent> events, HashSet<ActorKey> keys)
    {
        foreach (AuditEvent e in events)
        {
            if (e is MailAccessEvent access && Carries(keys, access))
            {
                yield return access;
            }
        }
    }

    private void Keep(MailAccessEvent access)
    {
        if (!_kept.Add(access.RecordId))
        {
            return;
        }

        if (_events.Count > 0 && _events[^1].Time > access.Time)
        {
            _sorted = false;
        }

        _events.Add(access);
    }

    /// <summary>The keys the exposure pass matches a mail access by (<see cref="Core.Exposure.ExposureCollector"/>).</summary>
    private static bool Carries(HashSet<ActorKey> keys, MailAccessEvent access) =>
        Has(keys, ActorKind.Session, access.AadSessionId)
        || Has(keys, ActorKind.Session, access.SessionId)
        || Has(keys, ActorKind.Token, access.UniqueTokenId)
        || Has(keys, ActorKind.Ip, access.ClientAddress)
        || Has(keys, ActorKind.App, access.AppId)
        || Has(keys, ActorKind.App, access.ClientAppId);

    private static bool Has(HashSet<ActorKey> keys, ActorKind kind, string? value) => !string.IsNullOrEmpty(value) && keys.Contains(new ActorKey(kind, value));
}
