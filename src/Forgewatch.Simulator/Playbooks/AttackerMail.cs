using Forgewatch.Simulator.Activity;
using Forgewatch.Simulator.Model;
using Forgewatch.Simulator.Randomness;
using Forgewatch.Simulator.Records;

namespace Forgewatch.Simulator.Playbooks;

/// <summary>
/// Mail reads by an attacker, recorded as malicious as they are written: folder syncs, and messages read
/// one by one, newest first, never the same message twice.
/// </summary>
internal sealed class AttackerMail(SimTenant tenant, SimRandom random, AttackRecorder recorder)
{
    private readonly HashSet<(Mailbox, long)> _read = [];

    /// <summary>Syncs each folder in turn, 40-110 seconds apart; returns the time of the last.</summary>
    public DateTime Sync(Reader who, Mailbox mailbox, IEnumerable<string> folders, DateTime t, DayBuffer buffer)
    {
        foreach (string folder in folders)
        {
            t = t.AddSeconds(random.Between(40, 110));
            Access(who, mailbox, t, "Sync", [new FolderRead(folder, [])], buffer);
        }

        return t;
    }

    /// <summary>Up to <paramref name="reads"/> Bind records of one or two unread messages each, alternating
    /// the Inbox and other folders; returns the time of the last.</summary>
    public DateTime Bind(Reader who, Mailbox mailbox, int reads, DateTime t, DayBuffer buffer)
    {
        List<string> wanted = [.. mailbox.Folders.Where(f => f is not ("\\Drafts" or "\\Deleted Items"))];
        for (int i = reads; i > 0; i--)
        {
            t = t.AddSeconds(random.Between(40, 150));
            string folder = i % 2 == 0 ? "\\Inbox" : random.Pick(wanted);
            List<long> messages = [.. mailbox.In(folder).Where(m => !_read.Contains((mailbox, m))).TakeLast(random.Between(1, 2))];
            if (messages.Count == 0)
            {
                continue;
            }

            foreach (long message in messages)
            {
                _read.Add((mailbox, message));
            }

            Access(who, mailbox, t, "Bind", [new FolderRead(folder, messages)], buffer);
        }

        return t;
    }

    private void Access(Reader who, Mailbox mailbox, DateTime t, string type, IReadOnlyList<FolderRead> folders, DayBuffer buffer)
    {
        MailAccess access = MailAccess.By(who, tenant, mailbox, t, type, folders, random);
        recorder.Read(access, buffer.Add(access));
    }
}
