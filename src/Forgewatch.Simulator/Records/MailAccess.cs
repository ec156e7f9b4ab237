using Forgewatch.Simulator.Model;
using Forgewatch.Simulator.Randomness;

namespace Forgewatch.Simulator.Records;

/// <summary>One folder of a <c>MailItemsAccessed</c> record: for a Bind, the messages read in it.</summary>
internal sealed record FolderRead(string Path, IReadOnlyList<long> Messages);

/// <summary>What a <c>MailItemsAccessed</c> record says (RecordType 50): who read which mailbox, with which
/// application, from where, in which session, and what.</summary>
internal sealed record MailAccess
{
    public required DateTime Time { get; init; }

    public required Guid Id { get; init; }

    public required string TenantId { get; init; }

    public required string TenantDomain { get; init; }

    /// <summary><c>UserId</c>: the UPN of who read (an application's service principal for app-only access).</summary>
    public required string ActorId { get; init; }

    public required string ActorKey { get; init; }

    public required string ActorSid { get; init; }

    public required Mailbox Mailbox { get; init; }

    public required string AppId { get; init; }

    /// <summary>Null where the client leaves it out (Outlook desktop syncs).</summary>
    public string? ClientAppId { get; init; }

    public required string ClientIp { get; init; }

    public required string ClientInfo { get; init; }

    /// <summary>0 owner, 1 admin, 2 delegate.</summary>
    public int LogonType { get; init; }

    /// <summary><c>Bind</c> or <c>Sync</c>.</summary>
    public required string AccessType { get; init; }

    public bool Throttled { get; init; }

    /// <summary>The Entra session (<c>SessionId</c> and <c>AppAccessContext.AADSessionId</c>); null for app-only access.</summary>
    public string? SessionId { get; init; }

    public required string TokenId { get; init; }

    public required DateTime TokenIssued { get; init; }

    public required Guid CorrelationId { get; init; }

    /// <summary>Through REST (Graph, Outlook REST): adds <c>APIId</c> and the token's object and tenant.</summary>
    public bool Rest { get; init; }

    public required string TokenObjectId { get; init; }

    public required IReadOnlyList<FolderRead> Folders { get; init; }

    /// <summary>
    /// A read of <paramref name="mailbox"/> by <paramref name="who"/>. Draws the record's id, then, when
    /// <paramref name="throttledChance"/> is above zero, whether auditing was throttled, then its
    /// correlation id. With <paramref name="withoutClientApp"/>, <c>ClientAppId</c> is left out, as Outlook
    /// desktop's syncs do.
    /// </summary>
    public static MailAccess By(
        Reader who,
        SimTenant tenant,
        Mailbox mailbox,
        DateTime time,
        string accessType,
        IReadOnlyList<FolderRead> folders,
        SimRandom random,
        double throttledChance = 0,
        bool withoutClientApp = false)
    {
        Guid id = random.NextGuid();
        bool throttled = throttledChance > 0 && random.Chance(throttledChance);
        return new MailAccess
        {
            Time = time,
            Id = id,
            TenantId = tenant.Id,
            TenantDomain = tenant.Domain,
            ActorId = who.ActorId,
            ActorKey = who.ActorKey,
            ActorSid = who.ActorSid,
            Mailbox = mailbox,
            AppId = who.AppId,
            ClientAppId = withoutClientApp ? null : who.AppId,
            ClientIp = who.Address,
            ClientInfo = who.ClientInfo,
            LogonType = who.LogonType,
            AccessType = accessType,
            Throttled = throttled,
            SessionId = who.SessionId,
            TokenId = who.TokenId,
            TokenIssued = who.TokenIssued,
            CorrelationId = random.NextGuid(),
            Rest = who.Rest,
            TokenObjectId = who.TokenObjectId,
            Folders = folders,
        };
    }
}
