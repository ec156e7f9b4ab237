using Forgewatch.Core.Events;

namespace Forgewatch.Core.Scanning;

/// <summary>
/// Counts of what a scan read: records by source shape and operation, distinct tenants, mailboxes and
/// users, the time span, duplicates and rejections. Fed by one consumer; not thread-safe.
/// </summary>
public sealed class ScanSummary
{
    private readonly Dictionary<(SourceShape Shape, string Operation), long> _byShapeAndOperation = [];
    private readonly HashSet<string> _tenants = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _mailboxes = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _users = new(StringComparer.OrdinalIgnoreCase);

    public long Records { get; private set; }

    public long Duplicates { get; private set; }

    public long Rejected { get; private set; }

    /// <summary>Files that could not be read to their end (a file-level rejection).</summary>
    public long FilesWithErrors { get; private set; }

    public long Files { get; set; }

    public DateTime? First { get; private set; }

    public DateTime? Last { get; private set; }

    public IReadOnlyDictionary<(SourceShape Shape, string Operation), long> ByShapeAndOperation => _byShapeAndOperation;

    public int Tenants => _tenants.Count;

    public int Mailboxes => _mailboxes.Count;

    public int Users => _users.Count;

    public void Add(AuditEvent e)
    {
        Records++;
        var key = (e.Origin.Shape, e.Operation);
        _byShapeAndOperation[key] = _byShapeAndOperation.GetValueOrDefault(key) + 1;
        if (e.TenantId is { Length: > 0 } tenant)
        {
            _tenants.Add(tenant);
        }

        if (e.UserId is { Length: > 0 } user)
        {
            _users.Add(user);
        }

        string? mailbox = e switch
        {
            MailAccessEvent m => m.MailboxOwner,
            AdminOperationEvent { Area: AdminArea.Mailbox } a => a.MailboxOwner,
            _ => null,
        };
        if (mailbox is { Length: > 0 })
        {
            _mailboxes.Add(mailbox);
        }

        if (First is null || e.Time < First)
        {
            First = e.Time;
        }

        if (Last is null || e.Time > Last)
        {
            Last = e.Time;
        }
    }

    public void AddDuplicate() => Duplicates++;

    public void AddRejected(bool fileLevel)
    {
        if (fileLevel)
        {
            FilesWithErrors++;
        }
        else
        {
            Rejected++;
        }
    }
}
