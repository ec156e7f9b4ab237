using Forgewatch.Core.Alerts;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Snapshots;
using Forgewatch.Core.Events;

namespace Forgewatch.Core.Detections;

/// <summary>
/// FW1006: a mailbox is read at an hour of the day (UTC) at which it was not read in its baseline window.
/// Low severity: it mostly strengthens an incident that shares its actor (docs/detections/FW1006.md).
/// </summary>
public sealed class UnusualAccessHour : IDetection, ISnapshotState
{
    public const string NoBaseline = "mailbox not yet read over the baseline window on enough days";

    private readonly KeyedState<HourBaseline> _mailboxes = new();

    public string Id => "FW1006";

    public string Title => "Mailbox read at an hour it is never read";

    public void Observe(AuditEvent e, string tenant, DetectionContext context)
    {
        if (e is not MailAccessEvent access || EventKeys.Mailbox(access) is not { } mailbox)
        {
            return;
        }

        DetectionOptions options = context.Options;
        DateTime time = e.Time;
        HourBaseline baseline = _mailboxes.GetOrAdd(tenant, mailbox, static t => new HourBaseline(t), time);
        bool established = time - baseline.First >= options.BaselineWindow && baseline.Days >= options.UnusualHourMinDays;
        bool unusual = established && baseline.LastSeen(time.Hour) < time - options.BaselineWindow;
        baseline.Add(time);
        if (!established)
        {
            context.Evaluation.NotEvaluated(Id, tenant, NoBaseline, time);
            return;
        }

        context.Evaluation.Evaluated(Id, tenant);
        if (!unusual)
        {
            return;
        }

        context.Raise(this, new Finding
        {
            Evidence = e,
            Tenant = tenant,
            // One alert per reader: the owner's own late read and an intruder's on the same day are two
            // alerts, so that the owner's session does not join the intruder's incident.
            Group = string.Concat(mailbox, "|", time.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "|", Reader(access)),
            Mailbox = mailbox,
            Severity = Severity.Low,
            Confidence = Confidence.Low,
            Reason = $"{mailbox} was read at {time:HH}:00-{time:HH}:59 UTC, an hour at which it was not read in the previous {options.BaselineWindow.TotalDays:0} days.",
            // The hour says nothing about whose session it is: a stolen token replayed at night carries the
            // owner's own session and token, which as keys would make the owner's reads the intruder's.
            // The address names the reader without that mistake.
            Actor = ActorScope.Ip,
            ActorApp = context.IsAllowedApp(access.AppId) ? null : access.AppId,
            Details = new Dictionary<string, string>
            {
                ["hour_utc"] = time.Hour.ToString("00", System.Globalization.CultureInfo.InvariantCulture),
            },
        });
    }

    public void WriteState(SnapshotWriter writer) => _mailboxes.Write(writer, static (w, baseline) => baseline.Write(w));

    public void ReadState(SnapshotReader reader) => _mailboxes.Read(reader, HourBaseline.Read);

    /// <summary>When a mailbox was last read at each hour of the day, and on how many days it was read.</summary>
    private sealed class HourBaseline(DateTime first)
    {
        private readonly long[] _lastSeenTicks = new long[24];
        private long _lastDay = -1;

        public DateTime First { get; } = first;

        public int Days { get; private set; }

        public DateTime LastSeen(int hour) => new(_lastSeenTicks[hour], DateTimeKind.Utc);

        public static HourBaseline Read(SnapshotReader r)
        {
            var baseline = new HourBaseline(r.ReadTime()) { Days = r.ReadInt32(), _lastDay = r.ReadInt64() };
            for (int hour = 0; hour < baseline._lastSeenTicks.Length; hour++)
            {
                long ticks = r.ReadInt64();
                baseline._lastSeenTicks[hour] = ticks >= 0 && ticks <= DateTime.MaxValue.Ticks ? ticks : throw r.Corrupt($"{ticks} ticks");
            }

            return baseline;
        }

        public void Write(SnapshotWriter w)
        {
            w.WriteTime(First);
            w.WriteInt32(Days);
            w.WriteInt64(_lastDay);
            foreach (long ticks in _lastSeenTicks)
            {
                w.WriteInt64(ticks);
            }
        }

        public void Add(DateTime time)
        {
            _lastSeenTicks[time.Hour] = time.Ticks;
            long day = time.Ticks / TimeSpan.TicksPerDay;
            if (day != _lastDay)
            {
                _lastDay = day;
                Days++;
            }
        }
    }

    /// <summary>Who read, as the record names it: its session, else its token, else its application, else its address.</summary>
    private static string Reader(MailAccessEvent access) =>
        access.AadSessionId ?? access.SessionId ?? access.UniqueTokenId ?? access.AppId ?? access.ClientAddress ?? string.Empty;

}
