using Forgewatch.Core.Alerts;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Snapshots;
using Forgewatch.Core.Events;

namespace Forgewatch.Core.Detections;

/// <summary>
/// FW1004: one user syncs many distinct folders in a short window from an address that user rarely signs in
/// from: a mailbox being downloaded (the sign-in based "Big Yellow Taxi" query; docs/detections/FW1004.md).
/// Needs sign-in logs for the rarity; where none cover the time, the burst is counted as not evaluated.
/// </summary>
public sealed class SyncBurstFromRareIp : IDetection, ISnapshotState
{
    public const string SignInsNotCovered = "sign-in logs do not cover the time of the sync";

    private static readonly TimeSpan SweepEvery = TimeSpan.FromHours(1);
    private static readonly LogKind[] SignInLogs = [LogKind.EntraInteractiveSignIn, LogKind.EntraNonInteractiveSignIn, LogKind.UalSignIn];

    private readonly KeyedState<UserAddresses> _users = new();
    private CoverageCache[]? _coveredNow;
    private CoverageCache[]? _coveredBaseline;
    private DateTime _nextSweep = DateTime.MinValue;

    public string Id => "FW1004";

    public string Title => "Burst of folder syncs from an address the user rarely signs in from";

    public void Observe(AuditEvent e, string tenant, DetectionContext context)
    {
        if (e.UserId is not { Length: > 0 } user || e.ClientAddress is not { Length: > 0 } ip)
        {
            return;
        }

        if (e is SignInEvent { Succeeded: true })
        {
            UserAddresses addresses = _users.GetOrAdd(tenant, user, static _ => new UserAddresses(), 0);
            addresses.SignInsFrom(ip).Add(e.Time, context.Options.RareIpMaxSignIns + 1);
            addresses.LastActivity = e.Time;
        }
        else if (e is MailAccessEvent { AccessType: MailAccessType.Sync } sync && sync.Folders.Count > 0)
        {
            ObserveSync(sync, tenant, user, ip, context);
        }
    }

    public void Advance(DateTime now, DetectionContext context)
    {
        if (now < _nextSweep || !_users.GrewSinceSweep)
        {
            return;
        }

        DateTime horizon = now - context.Options.BaselineWindow;
        _users.RemoveWhere(u => u.LastActivity < horizon);
        _nextSweep = now + SweepEvery;
    }

    /// <summary>Each user's sign-ins and syncs by address, and the next sweep; the coverage caches are made again.</summary>
    public void WriteState(SnapshotWriter writer)
    {
        _users.Write(writer, static (w, user) => user.Write(w));
        writer.WriteTime(_nextSweep);
    }

    public void ReadState(SnapshotReader reader)
    {
        _users.Read(reader, UserAddresses.Read);
        _nextSweep = reader.ReadTime();
    }

    private void ObserveSync(MailAccessEvent sync, string tenant, string user, string ip, DetectionContext context)
    {
        DetectionOptions options = context.Options;
        DateTime time = sync.Time;
        UserAddresses addresses = _users.GetOrAdd(tenant, user, static _ => new UserAddresses(), 0);
        addresses.LastActivity = time;
        FolderWindow window = addresses.SyncsFrom(ip);
        window.Add(sync, time - options.SyncBurstWindow);
        _coveredNow ??= [.. SignInLogs.Select(log => new CoverageCache(log, TimeSpan.Zero))];
        _coveredBaseline ??= [.. SignInLogs.Select(log => new CoverageCache(log, options.BaselineWindow))];
        bool coveredNow = AnyCovers(_coveredNow, context.Coverage, tenant, time);
        if (!coveredNow)
        {
            context.Evaluation.NotEvaluated(Id, tenant, SignInsNotCovered, time);
            return;
        }

        context.Evaluation.Evaluated(Id, tenant);
        if (window.DistinctFolders < options.SyncBurstFolders)
        {
            return;
        }

        DateTime baselineStart = time - options.BaselineWindow;
        bool coveredBaseline = AnyCovers(_coveredBaseline, context.Coverage, tenant, time);
        int signIns = addresses.SignInCount(ip, baselineStart, time);
        if (signIns > options.RareIpMaxSignIns)
        {
            return;
        }

        string mailbox = EventKeys.Mailbox(sync) ?? user;
        foreach (MailAccessEvent evidence in window.TakeHeld())
        {
            context.Raise(this, new Finding
            {
                Evidence = evidence,
                Tenant = tenant,
                Group = string.Concat(user, "|", ip),
                Mailbox = mailbox,
                Severity = Severity.Medium,
                Confidence = !coveredBaseline ? Confidence.Low : signIns == 0 ? Confidence.High : Confidence.Medium,
                Reason = $"{user} synced {window.DistinctFolders} distinct folders of {mailbox} within {options.SyncBurstWindow.TotalMinutes:0} minutes from {ip}, an address with {signIns} successful sign-ins of that user in {options.BaselineWindow.TotalDays:0} days.",
                // The rare address is what sets the burst apart: the session and token may be the user's
                // own, replayed, and would bring the user's own reads into the incident's exposure.
                Actor = ActorScope.Ip,
                ActorApp = context.IsAllowedApp(evidence.AppId) ? null : evidence.AppId,
                Details = new Dictionary<string, string>
                {
                    ["distinct_folders"] = window.DistinctFolders.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["sign_ins_from_ip"] = signIns.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["sign_in_baseline_complete"] = coveredBaseline ? "true" : "false",
                },
            });
        }
    }

    private static bool AnyCovers(CoverageCache[] caches, ILogCoverage coverage, string tenant, DateTime time)
    {
        foreach (CoverageCache cache in caches)
        {
            if (cache.Covers(coverage, tenant, time))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One user's recent successful sign-ins and folder syncs, per address.</summary>
    private sealed class UserAddresses
    {
        private readonly Dictionary<string, RecentTimes> _signIns = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, FolderWindow> _syncs = new(StringComparer.OrdinalIgnoreCase);

        public DateTime LastActivity { get; set; }

        public RecentTimes SignInsFrom(string ip)
        {
            if (!_signIns.TryGetValue(ip, out RecentTimes? times))
            {
                times = new RecentTimes();
                _signIns[ip] = times;
            }

            return times;
        }

        public FolderWindow SyncsFrom(string ip)
        {
            if (!_syncs.TryGetValue(ip, out FolderWindow? window))
            {
                window = new FolderWindow();
                _syncs[ip] = window;
            }

            return window;
        }

        public int SignInCount(string ip, DateTime from, DateTime to) =>
            _signIns.TryGetValue(ip, out RecentTimes? times) ? times.CountBetween(from, to) : 0;

        public static UserAddresses Read(SnapshotReader r)
        {
            var user = new UserAddresses { LastActivity = r.ReadTime() };
            r.ReadItems(r => user._signIns.Add(r.ReadString(), RecentTimes.Read(r)));
            r.ReadItems(r => user._syncs.Add(r.ReadString(), FolderWindow.Read(r)));
            return user;
        }

        public void Write(SnapshotWriter w)
        {
            w.WriteTime(LastActivity);
            w.WriteItems(_signIns, static (w, ip) =>
            {
                w.WriteString(ip.Key);
                ip.Value.Write(w);
            });
            w.WriteItems(_syncs, static (w, ip) =>
            {
                w.WriteString(ip.Key);
                ip.Value.Write(w);
            });
        }
    }

    /// <summary>The latest few times, enough to tell "at most N" from "more".</summary>
    private sealed class RecentTimes
    {
        private readonly Queue<DateTime> _times = new();

        public void Add(DateTime time, int keep)
        {
            _times.Enqueue(time);
            while (_times.Count > keep)
            {
                _times.Dequeue();
            }
        }

        public int CountBetween(DateTime from, DateTime to) => _times.Count(t => t >= from && t <= to);

        public static RecentTimes Read(SnapshotReader r)
        {
            var times = new RecentTimes();
            r.ReadItems(r => times._times.Enqueue(r.ReadTime()));
            return times;
        }

        public void Write(SnapshotWriter w) => w.WriteItems(_times, static (w, time) => w.WriteTime(time));
    }

    /// <summary>Folders synced in the last window (path and when last synced), and the syncs not yet cited
    /// as evidence, so that an alert cites the whole burst and not only the sync that completed it.</summary>
    private sealed class FolderWindow
    {
        private readonly Dictionary<string, DateTime> _folders = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<MailAccessEvent> _held = [];

        public int DistinctFolders => _folders.Count;

        public void Add(MailAccessEvent sync, DateTime windowStart)
        {
            foreach (AccessedFolder folder in sync.Folders)
            {
                _folders[folder.Path ?? string.Empty] = sync.Time;
            }

            foreach ((string path, DateTime last) in _folders)
            {
                if (last < windowStart)
                {
                    _folders.Remove(path);
                }
            }

            HeldEvidence.Add(_held, sync, windowStart);
        }

        /// <summary>The syncs in the window not cited yet, oldest first; they count as cited afterwards.</summary>
        public List<MailAccessEvent> TakeHeld() => HeldEvidence.Take(_held);

        public static FolderWindow Read(SnapshotReader r)
        {
            var window = new FolderWindow();
            r.ReadItems(r => window._folders.Add(r.ReadString(), r.ReadTime()));
            r.ReadItems(r => window._held.Add(r.ReadEvent<MailAccessEvent>()));
            return window;
        }

        public void Write(SnapshotWriter w)
        {
            w.WriteItems(_folders, static (w, folder) =>
            {
                w.WriteString(folder.Key);
                w.WriteTime(folder.Value);
            });
            w.WriteItems(_held, static (w, sync) => w.WriteEvent(sync));
        }
    }
}
