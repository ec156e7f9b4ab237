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
    /// One actor's reads in the last window, oldest first, with how many of them each mailbox has (so the
    /// distinct count is kept as reads come and go, at constant cost per read), which of them are not
    /// cited yet, and its burst history.
    /// </summary>
    private sealed class ActorWindow
    {
        /// <summary>Reads kept per actor at most; past it the oldest go first (the count stays far above
        /// any threshold).</summary>
        private const int MaxReads = 10_000;

        private readonly Queue<(MailAccessEvent Read, string Mailbox)> _reads = new();
        private readonly Dictionary<string, int> _mailboxes = new(StringComparer.OrdinalIgnoreCase);
        private int _uncited;

        public DateTime LastActivity { get; private set; }

        public DateTime LastBurstEnd { get; private set; } = DateTime.MinValue;

        public bool InBurst { get; set; }

        public bool Habitual { get; set; }

        /// <summary>Adds a read; returns the distinct mailboxes in the window.</summary>
        public int Add(string mailbox, MailAccessEvent access, DateTime windowStart)
        {
            LastActivity = access.Time;
            while (_reads.Count > 0 && (_reads.Peek().Read.Time < windowStart || _reads.Count >= MaxReads))
            {
                string gone = _reads.Dequeue().Mailbox;
                if (--_mailboxes[gone] == 0)
                {
                    _mailboxes.Remove(gone);
                }
            }

            _reads.Enqueue((access, mailbox));
            _mailboxes[mailbox] = _mailboxes.GetValueOrDefault(mailbox) + 1;
            _uncited = Math.Min(_uncited + 1, _reads.Count);
            return _mailboxes.Count;
        }

        public void EndBurst(DateTime time)
        {
            InBurst = false;
            LastBurstEnd = time;
        }

        /// <summary>Reads in the window not cited yet, oldest first; they count as cited afterwards.</summary>
        public List<MailAccessEvent> TakeHeld()
        {
            var held = new List<MailAccessEvent>(_uncited);
            foreach ((MailAccessEvent read, _) in _reads.Skip(_reads.Count - _uncited))
            {
                held.Add(read);
            }

            _uncited = 0;
            return held;
        }

        public void ForgetHeld() => _uncited = 0;

        /// <summary>The per-mailbox counts are not written: they are those of the reads.</summary>
        public static ActorWindow Read(SnapshotReader r)
        {
            var window = new ActorWindow();
            r.ReadItems(r =>
            {
                (MailAccessEvent Read, string Mailbox) read = (r.ReadEvent<MailAccessEvent>(), r.ReadString());
                window._reads.Enqueue(read);
                window._mailboxes[read.Mailbox] = window._mailboxes.GetValueOrDefault(read.Mailbox) + 1;
            });
            int uncited = r.ReadInt32();
            window._uncited = uncited >= 0 && uncited <= window._reads.Count ? uncited : throw r.Corrupt($"{uncited} of {window._reads.Count} reads uncited");
            window.LastActivity = r.ReadTime();
            window.LastBurstEnd = r.ReadTime();
            window.InBurst = r.ReadBoolean();
            window.Habitual = r.ReadBoolean();
            return window;
        }

        public void Write(SnapshotWriter w)
        {
            w.WriteItems(_reads, static (w, read) =>
            {
                w.WriteEvent(read.Read);
                w.WriteString(read.Mailbox);
            });
            w.WriteInt32(_uncited);
            w.WriteTime(LastActivity);
            w.WriteTime(LastBurstEnd);
            w.WriteBoolean(InBurst);
            w.WriteBoolean(Habitual);
        }
    }

    private sealed class TenantStart(DateTime time)
    {
        public DateTime Time { get; } = time;
    }
}
