using Forgewatch.Core.Alerts;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Snapshots;
using Forgewatch.Core.Events;

namespace Forgewatch.Core.Detections;

/// <summary>
/// FW1001: an application (<c>AppId</c> or <c>ClientAppId</c>) reads a mailbox it did not read in that
/// mailbox's baseline window. The rule that caught Storm-0558 (docs/detections/FW1001.md).
/// </summary>
public sealed class FirstSeenMailClient : IDetection, ISnapshotState
{
    private readonly KeyedState<MailboxApps> _mailboxes = new();
    private readonly KeyedState<FirstSeen> _tenantApps = new();
    private readonly KeyedState<FirstSeen> _tenants = new();

    public string Id => "FW1001";

    public string Title => "Mailbox read by an application it was never read by";

    public void Observe(AuditEvent e, string tenant, DetectionContext context)
    {
        if (e is not MailAccessEvent access || EventKeys.Mailbox(access) is not { } mailbox)
        {
            return;
        }

        DateTime time = e.Time;
        FirstSeen tenantFirst = _tenants.GetOrAdd(tenant, string.Empty, static t => new FirstSeen(t), time);
        MailboxApps apps = _mailboxes.GetOrAdd(tenant, mailbox, static t => new MailboxApps(t), time);
        context.Evaluation.Evaluated(Id, tenant);
        Check(access, access.AppId, tenant, mailbox, tenantFirst.Time, apps, context);
        if (!string.Equals(access.ClientAppId, access.AppId, StringComparison.OrdinalIgnoreCase))
        {
            Check(access, access.ClientAppId, tenant, mailbox, tenantFirst.Time, apps, context);
        }
    }

    public void WriteState(SnapshotWriter writer)
    {
        _mailboxes.Write(writer, static (w, apps) => apps.Write(w));
        _tenantApps.Write(writer, static (w, seen) => w.WriteTime(seen.Time));
        _tenants.Write(writer, static (w, seen) => w.WriteTime(seen.Time));
    }

    public void ReadState(SnapshotReader reader)
    {
        _mailboxes.Read(reader, MailboxApps.Read);
        _tenantApps.Read(reader, static r => new FirstSeen(r.ReadTime()));
        _tenants.Read(reader, static r => new FirstSeen(r.ReadTime()));
    }

    private void Check(MailAccessEvent e, string? app, string tenant, string mailbox, DateTime tenantFirst, MailboxApps apps, DetectionContext context)
    {
        if (string.IsNullOrEmpty(app) || context.IsAllowedApp(app))
        {
            return;
        }

        TimeSpan window = context.Options.BaselineWindow;
        DateTime time = e.Time;
        bool known = apps.LastRead.TryGetValue(app, out DateTime lastRead) && time - lastRead <= window;
        apps.LastRead[app] = time;
        FirstSeen appInTenant = _tenantApps.GetOrAdd(tenant, app, static t => new FirstSeen(t), time);
        if (known)
        {
            return;
        }

        bool tenantEstablished = time - tenantFirst >= window;
        bool mailboxEstablished = time - apps.First >= window;
        bool newToTenant = appInTenant.Time - tenantFirst >= window && time - appInTenant.Time <= window;
        (Severity severity, Confidence confidence, string reason) = (tenantEstablished, newToTenant) switch
        {
            (false, _) => (Severity.Low, Confidence.Low,
                $"Application {app} read {mailbox} for the first time while the tenant's mail-access log was still shorter than the {window.TotalDays:0}-day baseline (cold start)."),
            (true, true) => (Severity.High, mailboxEstablished ? Confidence.High : Confidence.Medium,
                $"Application {app} read {mailbox}; it had never read any mailbox in this tenant before {appInTenant.Time:yyyy-MM-dd HH:mm} UTC."),
            (true, false) => (Severity.Medium, mailboxEstablished ? Confidence.Medium : Confidence.Low,
                $"Application {app} read {mailbox}, which it had not read in the last {window.TotalDays:0} days."),
        };

        context.Raise(this, new Finding
        {
            Evidence = e,
            Tenant = tenant,
            Group = string.Concat(mailbox, "|", app),
            Mailbox = mailbox,
            Severity = severity,
            Confidence = confidence,
            Reason = reason,
            Actor = ActorScope.Client,
            ActorApp = app,
            Details = new Dictionary<string, string>
            {
                ["new_app"] = app,
                ["app_new_to_tenant"] = newToTenant ? "true" : "false",
                ["mailbox_cold_start"] = mailboxEstablished ? "false" : "true",
                ["tenant_cold_start"] = tenantEstablished ? "false" : "true",
            },
        });
    }

    private sealed class MailboxApps(DateTime first)
    {
        public DateTime First { get; } = first;

        public Dictionary<string, DateTime> LastRead { get; } = new(StringComparer.OrdinalIgnoreCase);

        public static MailboxApps Read(SnapshotReader r)
        {
            var apps = new MailboxApps(r.ReadTime());
            r.ReadItems(r => apps.LastRead.Add(r.ReadString(), r.ReadTime()));
            return apps;
        }

        public void Write(SnapshotWriter w)
        {
            w.WriteTime(First);
            w.WriteItems(LastRead, static (w, app) =>
            {
                w.WriteString(app.Key);
                w.WriteTime(app.Value);
            });
        }
    }

    private sealed class FirstSeen(DateTime time)
    {
        public DateTime Time { get; } = time;
    }
}
