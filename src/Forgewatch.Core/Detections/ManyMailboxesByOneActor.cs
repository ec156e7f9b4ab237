using Forgewatch.Core.Alerts;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Snapshots;
using Forgewatch.Core.Events;

namespace Forgewatch.Core.Detections;

/// <summary>
/// FW1005: one application, address or session reads more than a few distinct mailboxes within minutes
/// (docs/detections/FW1005.md). Actors that did so before, within the baseline window, are habitual
/// (line-of-business applications, shared gateways) and are left alone; during the tenant's cold start a
/// burst is only reported at low severity.
/// </summary>
public sealed class ManyMailboxesByOneActor : IDetection, ISnapshotState
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromHours(1);

    private readonly KeyedState<ActorWindow> _apps = new();
    private readonly KeyedState<ActorWindow> _addresses = new();
    private readonly KeyedState<ActorWindow> _sessions = new();
    private readonly KeyedState<TenantStart> _tenants = new();
    private DateTime _nextSweep = DateTime.MinValue;

    public string Id => "FW1005";

    public string Title => "One actor reading many mailboxes";

    public void Observe(AuditEvent e, string tenant, DetectionContext context)
    {
        if (e is not MailAccessEvent access || EventKeys.Mailbox(access) is not { } mailbox)
        {
            return;
        }

        TenantStart start = _tenants.GetOrAdd(tenant, string.Empty, static t => new TenantStart(t), e.Time);
        context.Evaluation.Evaluated(Id, tenant);
        if (!context.IsAllowedApp(access.AppId))
        {
            Track(_apps, ActorKind.App, access.AppId, access, tenant, mailbox, start, context);
        }

        Track(_addresses, ActorKind.Ip, access.ClientAddress, access, tenant, mailbox, start, context);
        Track(_sessions, ActorKind.Session, access.AadSessionId, access, tenant, mailbox, start, context);
    }

    public void Advance(DateTime now, DetectionContext context)
    {
        if (now < _nextSweep)
        {
            return;
        }

        DateTime idle = now - context.Options.ManyMailboxesWindow;
        DateTime forgotten = now - context.Options.BaselineWindow;
        foreach (KeyedState<ActorWindow> state in (ReadOnlySpan<KeyedState<ActorWindow>>)[_apps, _addresses, _sessions])
        {
            if (!state.GrewSinceSweep)
            {
                continue;
            }

            // An actor that went quiet in a burst ends it then: its burst must be remembered, not swept away.
            state.RemoveWhere(w =>
            {
                if (w.InBurst && w.LastActivity < idle)
                {
                    w.EndBurst(w.LastActivity);
                }

                return w.LastActivity < idle && w.LastBurstEnd < forgotten;
            });
        }

        _nextSweep = now + SweepEvery;
    }

    public void WriteState(SnapshotWriter writer)
    {
        foreach (KeyedState<ActorWindow> state in (ReadOnlySpan<KeyedState<ActorWindow>>)[_apps, _addresses, _sessions])
        {
            state.Write(writer, static (w, window) => window.Write(w));
        }

        _tenants.Write(writer, static (w, start) => w.WriteTime(start.Time));
        writer.WriteTime(_nextSweep);
    }

    public void ReadState(SnapshotReader reader)
    {
        foreach (KeyedState<ActorWindow> state in (ReadOnlySpan<KeyedState<ActorWindow>>)[_apps, _addresses, _sessions])
        {
            state.Read(reader, ActorWindow.Read);
        }

        _tenants.Read(reader, static r => new TenantStart(r.ReadTime()));
        _nextSweep = reader.ReadTime();
    }

    private void Track(KeyedState<ActorWindow> state, ActorKind kind, string? actor, MailAccessEvent access, string tenant, string mailbox, TenantStart start, DetectionContext context)
    {
        if (string.IsNullOrEmpty(actor))
        {
            return;
        }

        DetectionOptions options = context.Options;
        DateTime time = access.Time;
        ActorWindow window = state.GetOrAdd(tenant, actor, static _ => new ActorWindow(), 0);
        int distinct = window.Add(mailbox, access, time - options.ManyMailboxesWindow);
        if (distinct <= options.ManyMailboxesThreshold)
        {
            if (window.InBurst)
            {
                window.EndBurst(time);
            }

            return;
        }

        if (!window.InBurst)
        {
            window.InBurst = true;
            window.Habitual = window.LastBurstEnd >= time - options.BaselineWindow;
        }

        if (window.Habitual)
        {
            window.ForgetHeld();
            return;
        }

        bool coldStart = time - start.Time < options.BaselineWindow;
        string kindName = new ActorKey(kind, actor).KindName;
        string actorText = kind switch
        {
            ActorKind.App => $"Application {actor}",
            ActorKind.Ip => $"Address {actor}",
            _ => $"Session {EventKeys.Short(actor)}",
        };
        foreach (MailAccessEvent evidence in window.TakeHeld())
        {
            context.Raise(this, new Finding
            {
                Evidence = evidence,
                Tenant = tenant,
                Group = string.Concat(kindName, ":", actor),
                Mailbox = null,
                Severity = coldStart ? Severity.Low : kind == ActorKind.App ? Severity.High : Severity.Medium,
                Confidence = coldStart ? Confidence.Low : Confidence.Medium,
                Reason = $"{actorText} read {distinct} distinct mailboxes within {options.ManyMailboxesWindow.TotalMinutes:0} minutes"
                    + (coldStart ? " while the tenant's mail-access log was still shorter than the baseline (cold start)." : ", and had not done so in the baseline window."),
                Actor = kind == ActorKind.App ? ActorScope.None : ActorScope.Client,
                ActorApp = kind == ActorKind.App ? actor : context.IsAllowedApp(evidence.AppId) ? null : evidence.AppId,
                Details = new Dictionary<string, string>
                {
                    ["actor_kind"] = kindName,
                    ["actor"] = actor,
                    ["distinct_mailboxes"] = distinct.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            });
        }
    }

    /// <summary>
    /// One actor's window: the mailboxes it read, each with the time of its latest read, least recently read
    /// first (so the distinct count is kept as reads come and go, at constant cost per read, and the state
    /// grows with the mailboxes, not with the reads), the reads not cited yet (<see cref="HeldEvidence"/>),
    /// and its burst history.
    /// </summary>
    private sealed class ActorWindow
    {
        /// <summary>Mailboxes kept per actor at most; past it the least recently read go first (the count
        /// stays far above any threshold).</summary>
        private const int MaxMailboxes = 10_000;

        private readonly LinkedList<(string Mailbox, DateTime LastRead)> _byLastRead = new();
        private readonly Dictionary<string, LinkedListNode<(string Mailbox, DateTime LastRead)>> _mailboxes = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<MailAccessEvent> _held = [];

        public DateTime LastActivity { get; private set; }

        public DateTime LastBurstEnd { get; private set; } = DateTime.MinValue;

        public bool InBurst { get; set; }

        public bool Habitual { get; set; }

        /// <summary>Adds a read; returns the distinct mailboxes in the window.</summary>
        public int Add(string mailbox, MailAccessEvent access, DateTime windowStart)
        {
            LastActivity = access.Time;
            while (_byLastRead.First is { } oldest && oldest.Value.LastRead < windowStart)
            {
                Drop(oldest);
            }

            if (_mailboxes.TryGetValue(mailbox, out LinkedListNode<(string Mailbox, DateTime LastRead)>? node))
            {
                _byLastRead.Remove(node);
                node.Value = (node.Value.Mailbox, access.Time);
                _byLastRead.AddLast(node);
            }
            else
            {
                if (_mailboxes.Count >= MaxMailboxes)
                {
                    Drop(_byLastRead.First!);
                }

                _mailboxes[mailbox] = _byLastRead.AddLast((mailbox, access.Time));
            }

            HeldEvidence.Add(_held, access, windowStart);
            return _mailboxes.Count;
        }

        public void EndBurst(DateTime time)
        {
            InBurst = false;
            LastBurstEnd = time;
        }

        /// <summary>Reads in the window not cited yet, oldest first; they count as cited afterwards.</summary>
        public List<MailAccessEvent> TakeHeld() => HeldEvidence.Take(_held);

        public void ForgetHeld() => _held.Clear();

        public static ActorWindow Read(SnapshotReader r)
        {
            var window = new ActorWindow();
            r.ReadItems(r =>
            {
                (string mailbox, DateTime lastRead) = (r.ReadString(), r.ReadTime());
                if (window._byLastRead.Last is { } last && last.Value.LastRead > lastRead)
                {
                    throw r.Corrupt($"mailbox read at {lastRead:O} kept after one read at {last.Value.LastRead:O}");
                }

                if (!window._mailboxes.TryAdd(mailbox, window._byLastRead.AddLast((mailbox, lastRead))))
                {
                    throw r.Corrupt("a mailbox kept twice in one window");
                }
            });
            r.ReadItems(r => window._held.Add(r.ReadEvent<MailAccessEvent>()));
            window.LastActivity = r.ReadTime();
            window.LastBurstEnd = r.ReadTime();
            window.InBurst = r.ReadBoolean();
            window.Habitual = r.ReadBoolean();
            return window;
        }

        public void Write(SnapshotWriter w)
        {
            w.WriteItems(_byLastRead, static (w, read) =>
            {
                w.WriteString(read.Mailbox);
                w.WriteTime(read.LastRead);
            });
            w.WriteItems(_held, static (w, read) => w.WriteEvent(read));
            w.WriteTime(LastActivity);
            w.WriteTime(LastBurstEnd);
            w.WriteBoolean(InBurst);
            w.WriteBoolean(Habitual);
        }

        private void Drop(LinkedListNode<(string Mailbox, DateTime LastRead)> node)
        {
            _mailboxes.Remove(node.Value.Mailbox);
            _byLastRead.Remove(node);
        }
    }

    private sealed class TenantStart(DateTime time)
    {
        public DateTime Time { get; } = time;
    }
}
