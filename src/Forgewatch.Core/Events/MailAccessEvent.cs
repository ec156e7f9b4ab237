using Forgewatch.Core.Text;

namespace Forgewatch.Core.Events;

/// <summary>A UAL <c>MailItemsAccessed</c> record: who read which folders and messages of a mailbox.</summary>
public sealed class MailAccessEvent : AuditEvent
{
    public MailAccessEvent(in EventHeader header)
        : base(header)
    {
    }

    private readonly Identifier _mailboxGuid;
    private string? _mailboxGuidText;

    public override EventKind Kind => EventKind.MailAccess;

    /// <summary>UPN of the mailbox that was read (<c>MailboxOwnerUPN</c>).</summary>
    public string? MailboxOwner { get; init; }

    /// <summary>UAL <c>MailboxGuid</c>, as logged.</summary>
    public string? MailboxGuid
    {
        get => _mailboxGuidText ??= _mailboxGuid.Text;
        init
        {
            _mailboxGuid = value;
            _mailboxGuidText = value;
        }
    }

    /// <summary><see cref="MailboxGuid"/> kept compact (see <see cref="Identifier"/>): readers set this one,
    /// so that no text is made for mailboxes nobody looks at.</summary>
    public Identifier MailboxId
    {
        get => _mailboxGuid;
        init
        {
            _mailboxGuid = value;
            _mailboxGuidText = null;
        }
    }

    /// <summary>0 owner, 1 admin, 2 delegate (UAL <c>LogonType</c>).</summary>
    public int? LogonType { get; init; }

    public bool? ExternalAccess { get; init; }

    /// <summary><c>OperationProperties.MailAccessType</c>.</summary>
    public MailAccessType AccessType { get; init; }

    /// <summary><c>OperationProperties.IsThrottled</c>: auditing dropped records for this mailbox,
    /// so what is listed is a lower bound of what was read.</summary>
    public bool IsThrottled { get; init; }

    /// <summary>How many accesses this aggregated record stands for (<c>OperationCount</c>).</summary>
    public int? OperationCount { get; init; }

    /// <summary>The folders touched; for a Bind, each with the messages read.</summary>
    public IReadOnlyList<AccessedFolder> Folders { get; init; } = [];

    /// <summary><c>AppAccessContext.IssuedAtTime</c>: when the token used was issued, UTC.</summary>
    public DateTime? TokenIssuedAt { get; init; }

    /// <summary><c>TokenTenantId</c>: the tenant the token was issued for.</summary>
    public string? TokenTenantId { get; init; }
}

/// <summary>How a mail access touched its folders.</summary>
public enum MailAccessType
{
    /// <summary>Not stated in the record.</summary>
    Unknown,
    /// <summary>Individual messages were read; each is listed.</summary>
    Bind,
    /// <summary>A folder was synchronized: every item in it must be treated as read.</summary>
    Sync,
}

/// <summary>A folder of a mail access and the messages read in it.</summary>
/// <param name="Path">Folder path as logged, e.g. <c>\Inbox</c>.</param>
/// <param name="InternetMessageIds">Messages read (Bind); empty for a Sync. Readers hand a
/// <see cref="Text.Utf8StringList"/>, which decodes an id when it is read.</param>
public sealed record AccessedFolder(string? Path, IReadOnlyList<string> InternetMessageIds);
