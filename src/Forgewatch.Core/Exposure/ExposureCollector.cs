using Forgewatch.Core.Alerts;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Events;
using Forgewatch.Core.Incidents;

namespace Forgewatch.Core.Exposure;

/// <summary>
/// Works out what each incident's actor read: every mail access in the incident's tenant that carries one of
/// its actor keys (session, token, address, application) exposes its folders and messages. Fed the events
/// again, in time order, after the incidents are formed; <see cref="Finish"/> hands each incident its
/// exposure. Not thread-safe.
/// </summary>
public sealed class ExposureCollector
{
    private readonly Dictionary<string, Dictionary<ActorKey, Incident>> _byTenant = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<Incident, Dictionary<string, MailboxExposure>> _exposure = [];
    private readonly Dictionary<(Incident, string, string, string), ExposureEntry> _entries = [];
    private readonly List<Incident> _matched = new(4);

    public ExposureCollector(IReadOnlyList<Incident> incidents)
    {
        foreach (Incident incident in incidents)
        {
            if (!_byTenant.TryGetValue(incident.Tenant, out Dictionary<ActorKey, Incident>? keys))
            {
                keys = [];
                _byTenant[incident.Tenant] = keys;
            }

            foreach (ActorKey key in incident.ActorKeys)
            {
                keys.TryAdd(key, incident);
            }
        }
    }

    /// <summary>Every exposure line so far, in the order found.</summary>
    public List<ExposureEntry> Entries { get; } = [];

    public void Observe(AuditEvent e, string tenant)
    {
        if (e is not MailAccessEvent access || !_byTenant.TryGetValue(tenant, out Dictionary<ActorKey, Incident>? keys))
        {
            return;
        }

        _matched.Clear();
        Match(keys, ActorKind.Session, access.AadSessionId);
        Match(keys, ActorKind.Session, access.SessionId);
        Match(keys, ActorKind.Token, access.UniqueTokenId);
        Match(keys, ActorKind.Ip, access.ClientAddress);
        Match(keys, ActorKind.App, access.AppId);
        Match(keys, ActorKind.App, access.ClientAppId);
        foreach (Incident incident in _matched)
        {
            Add(incident, tenant, access);
        }
    }

    /// <summary>Hands each incident its exposure, mailboxes in name order.</summary>
    public void Finish()
    {
        foreach ((Incident incident, Dictionary<string, MailboxExposure> mailboxes) in _exposure)
        {
            incident.Exposure = mailboxes.Values.OrderBy(m => m.Mailbox, StringComparer.OrdinalIgnoreCase).ToList();
        }
    }

    private void Match(Dictionary<ActorKey, Incident> keys, ActorKind kind, string? value)
    {
        if (!string.IsNullOrEmpty(value) && keys.TryGetValue(new ActorKey(kind, value), out Incident? incident) && !_matched.Contains(incident))
        {
            _matched.Add(incident);
        }
    }

    private void Add(Incident incident, string tenant, MailAccessEvent access)
    {
        string mailbox = EventKeys.Mailbox(access) ?? "(unknown mailbox)";
        if (!_exposure.TryGetValue(incident, out Dictionary<string, MailboxExposure>? mailboxes))
        {
            mailboxes = new Dictionary<string, MailboxExposure>(StringComparer.OrdinalIgnoreCase);
            _exposure[incident] = mailboxes;
        }

        if (!mailboxes.TryGetValue(mailbox, out MailboxExposure? exposure))
        {
            exposure = new MailboxExposure(mailbox);
            mailboxes[mailbox] = exposure;
        }

        exposure.Records++;
        exposure.Throttled |= access.IsThrottled;
        exposure.First = access.Time < exposure.First ? access.Time : exposure.First;
        exposure.Last = access.Time > exposure.Last ? access.Time : exposure.Last;
        if (access.Folders.Count == 0)
        {
            Line(incident, tenant, exposure, access, string.Empty, string.Empty);
            return;
        }

        foreach (AccessedFolder folder in access.Folders)
        {
            string path = folder.Path ?? string.Empty;
            exposure.FolderPaths.Add(path);
            if (access.AccessType == MailAccessType.Sync || folder.InternetMessageIds.Count == 0)
            {
                if (Line(incident, tenant, exposure, access, path, string.Empty) && access.AccessType == MailAccessType.Sync)
                {
                    exposure.FoldersSynced++;
                }

                continue;
            }

            foreach (string messageId in folder.InternetMessageIds)
            {
                if (Line(incident, tenant, exposure, access, path, messageId))
                {
                    exposure.Messages++;
                }
            }
        }
    }

    /// <summary>Adds a line unless the same folder and message are already listed for the mailbox, in which
    /// case a throttled record still marks the listed line. True when the line is new.</summary>
    private bool Line(Incident incident, string tenant, MailboxExposure exposure, MailAccessEvent access, string folder, string messageId)
    {
        // A whole-folder Sync and a Bind that named no message in that folder are different lines.
        var key = (incident, exposure.Mailbox, folder, messageId.Length == 0 && access.AccessType == MailAccessType.Sync ? "\0sync" : messageId);
        if (_entries.TryGetValue(key, out ExposureEntry? existing))
        {
            existing.Throttled |= access.IsThrottled;
            return false;
        }

        var entry = new ExposureEntry(tenant, incident.Id, exposure.Mailbox, folder, messageId, access.AccessType, access.Time, access.RecordId)
        {
            Throttled = access.IsThrottled,
        };
        _entries[key] = entry;
        exposure.Entries.Add(entry);
        Entries.Add(entry);
        return true;
    }
}
