namespace Forgewatch.Simulator.Records;

/// <summary>
/// Who reads a mailbox, as its <c>MailItemsAccessed</c> records show it: as whom (the user a token names,
/// or an application), with which application and client, from where, with which session and token. The
/// same for a person, a line-of-business application and an attacker.
/// </summary>
internal sealed record Reader
{
    public required string ActorId { get; init; }

    public required string ActorKey { get; init; }

    public required string ActorSid { get; init; }

    public required string AppId { get; init; }

    public required string ClientInfo { get; init; }

    public required string Address { get; init; }

    /// <summary>Null for app-only access.</summary>
    public string? SessionId { get; init; }

    public required string TokenId { get; init; }

    public required DateTime TokenIssued { get; init; }

    public required string TokenObjectId { get; init; }

    public bool Rest { get; init; } = true;

    /// <summary>0 as the owner (a token naming the user), 1 admin, 2 delegate.</summary>
    public int LogonType { get; init; }
}
