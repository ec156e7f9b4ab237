using Forgewatch.Core.Events;

namespace Forgewatch.Core.Exposure;

/// <summary>
/// One line of <c>exposure.csv</c>: a message the incident's actor read (Bind), or a whole folder it
/// synchronized (Sync, no message id: treat every item in the folder as read). A record with no folder is
/// kept with an empty folder so that it is not lost. <see cref="Throttled"/> marks records after which
/// auditing dropped records: more may have been read than is listed.
/// </summary>
public sealed record ExposureEntry(
    string Tenant,
    string Incident,
    string Mailbox,
    string Folder,
    string InternetMessageId,
    MailAccessType AccessType,
    DateTime Time,
    string RecordId)
{
    public bool Throttled { get; internal set; }
}

/// <summary>What an incident's actor read in one mailbox.</summary>
public sealed class MailboxExposure(string mailbox)
{
    public string Mailbox { get; } = mailbox;

    /// <summary>Messages read one by one (distinct InternetMessageIds).</summary>
    public int Messages { get; internal set; }

    /// <summary>Folders synchronized whole (distinct paths).</summary>
    public int FoldersSynced { get; internal set; }

    /// <summary>Distinct folders touched either way.</summary>
    public int Folders => FolderPaths.Count;

    /// <summary>Mail-access records of the actor in this mailbox.</summary>
    public long Records { get; internal set; }

    /// <summary>True when a record was throttled: what is listed is a lower bound.</summary>
    public bool Throttled { get; internal set; }

    public DateTime First { get; internal set; } = DateTime.MaxValue;

    public DateTime Last { get; internal set; } = DateTime.MinValue;

    internal HashSet<string> FolderPaths { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every exposure line of this mailbox, in time order.</summary>
    public List<ExposureEntry> Entries { get; } = [];
}
