using Forgewatch.Simulator.Model;
using Forgewatch.Simulator.Records;
using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Playbooks;

/// <summary>Collects what one attack did, as it does it, for <c>truth.json</c>.</summary>
internal sealed class AttackRecorder(string playbook, string id, string tenant)
{
    private readonly List<(DateTime Time, string Id)> _records = [];
    private readonly SortedDictionary<string, SortedSet<string>> _exposed = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, SortedSet<string>> _synced = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _mailboxes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _actor = new(StringComparer.Ordinal);

    /// <summary>True once the attack has written a record.</summary>
    public bool HasRecords => _records.Count > 0;

    /// <summary>A malicious record (any kind).</summary>
    public void Malicious(RecordRef record) => _records.Add((record.Time, record.Id.ToString()));

    /// <summary>A mailbox the attack touched (read, or changed: a rule, a permission).</summary>
    public void Touched(Mailbox mailbox) => _mailboxes.Add(mailbox.OwnerUpn);

    /// <summary>A malicious mail access: the record, its mailbox, and what it exposed.</summary>
    public void Read(MailAccess access, RecordRef record)
    {
        Malicious(record);
        Touched(access.Mailbox);
        foreach (FolderRead folder in access.Folders)
        {
            if (access.AccessType == "Sync")
            {
                Set(_synced, access.Mailbox.OwnerUpn).Add(folder.Path);
            }
            else
            {
                SortedSet<string> exposed = Set(_exposed, access.Mailbox.OwnerUpn);
                foreach (long message in folder.Messages)
                {
                    exposed.Add(MessageIds.InternetMessageId(access.Mailbox, message));
                }
            }
        }
    }

    public void Actor(string name, string value) => _actor[name] = value;

    public TruthAttack Build()
    {
        List<(DateTime Time, string Id)> ordered = [.. _records.OrderBy(r => r.Time).ThenBy(r => r.Id, StringComparer.Ordinal)];
        return new TruthAttack
        {
            Playbook = playbook,
            Id = id,
            Tenant = tenant,
            Began = ordered.Count > 0 ? ordered[0].Time : default,
            Mailboxes = [.. _mailboxes],
            MaliciousRecordIds = [.. ordered.Select(r => r.Id)],
            Exposed = _mailboxes.ToDictionary(m => m, m => (IReadOnlyList<string>)[.. _exposed.GetValueOrDefault(m) ?? []], StringComparer.Ordinal),
            SyncedFolders = _mailboxes.ToDictionary(m => m, m => (IReadOnlyList<string>)[.. _synced.GetValueOrDefault(m) ?? []], StringComparer.Ordinal),
            Actor = _actor.Count > 0 ? new SortedDictionary<string, string>(_actor, StringComparer.Ordinal) : null,
        };
    }

    private static SortedSet<string> Set(SortedDictionary<string, SortedSet<string>> map, string key)
    {
        if (!map.TryGetValue(key, out SortedSet<string>? set))
        {
            set = new SortedSet<string>(StringComparer.Ordinal);
            map[key] = set;
        }

        return set;
    }
}
