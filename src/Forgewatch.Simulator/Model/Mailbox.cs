namespace Forgewatch.Simulator.Model;

/// <summary>
/// A mailbox's folders and the messages in them. A message is a number; its InternetMessageId and item id
/// are derived from that number (see <see cref="MessageIds"/>), so ten thousand mailboxes over a month hold
/// a few numbers per folder, not strings. Each folder keeps its newest <see cref="Kept"/> messages: older
/// ones are no longer picked, which bounds memory whatever the number of days.
/// </summary>
internal sealed class Mailbox(string ownerUpn, string ownerSid, string guid, string server, IReadOnlyList<string> folders)
{
    public const int Kept = 24;

    private readonly Dictionary<string, string> _folderIds = folders.ToDictionary(
        f => f,
        f => "LgAAAAD" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(guid + f)).AsSpan(0, 18)),
        StringComparer.Ordinal);
    private readonly Dictionary<string, List<long>> _messages = folders.ToDictionary(f => f, _ => new List<long>(Kept), StringComparer.Ordinal);
    private long _next;

    public string OwnerUpn { get; } = ownerUpn;

    public string OwnerSid { get; } = ownerSid;

    public string Guid { get; } = guid;

    /// <summary>Seeds the ids of this mailbox's messages (see <see cref="MessageIds"/>).</summary>
    public ulong IdSeed { get; } = MessageIds.Mix((ulong)System.Guid.Parse(guid).GetHashCode() ^ ((ulong)(uint)ownerSid.Length << 32));

    /// <summary>The Exchange server that holds it (<c>OriginatingServer</c>, message id domains).</summary>
    public string Server { get; } = server;

    /// <summary><c>OriginatingServer</c> of its records: the server and the Exchange build.</summary>
    public string OriginatingServer { get; } = server + " (15.20.6433.024)";

    public IReadOnlyList<string> Folders { get; } = folders;

    /// <summary>A new message arrives in <paramref name="folder"/>.</summary>
    public void Deliver(string folder)
    {
        List<long> list = _messages[folder];
        if (list.Count == Kept)
        {
            list.RemoveAt(0);
        }

        list.Add(_next++);
    }

    /// <summary>A folder's Exchange id, stable for the mailbox and path (made with the mailbox, so that
    /// records can be written on several threads).</summary>
    public string FolderId(string path) => _folderIds[path];

    /// <summary>Messages of the folder, oldest first.</summary>
    public IReadOnlyList<long> In(string folder) => _messages[folder];
}
