namespace Forgewatch.Simulator.Model;

/// <summary>A person of a simulated tenant: who they are, their mailbox, and how and where they read mail.</summary>
internal sealed class SimUser
{
    public required string Upn { get; init; }

    public required string DisplayName { get; init; }

    public required string ObjectId { get; init; }

    /// <summary>The UAL <c>UserKey</c> (PUID).</summary>
    public required string UserKey { get; init; }

    public required string Sid { get; init; }

    public required Mailbox Mailbox { get; init; }

    /// <summary>Clients used on a working day, with weights.</summary>
    public required List<(Client Client, int Weight)> Clients { get; init; }

    /// <summary>Hours the user's local time is ahead of UTC (negative west of Greenwich).</summary>
    public required int UtcOffsetHours { get; init; }

    /// <summary>The office address, or null for people who work from home.</summary>
    public required string? OfficeAddress { get; init; }

    public required string HomeAddress { get; init; }

    /// <summary>Device ids by client name (a new phone gets a new one).</summary>
    public Dictionary<string, string> Devices { get; } = new(StringComparer.Ordinal);

    /// <summary>Day index on which the user starts using a new client (a new phone, the new Outlook), or -1.</summary>
    public int NewClientDay { get; set; } = -1;

    public Client? NewClient { get; set; }

    /// <summary>Days the user is travelling (reads from hotel and mobile addresses).</summary>
    public HashSet<int> TravelDays { get; } = [];

    /// <summary>The tokens the user's sign-ins issued on the latest simulated day (what a token thief finds).</summary>
    public List<IssuedToken> TokensToday { get; } = [];

    /// <summary>The shared mailbox this user reads as a delegate, if any.</summary>
    public Mailbox? DelegateOf { get; set; }
}

/// <summary>A token a sign-in issued: when, in which session, to which application, at which address.</summary>
internal sealed record IssuedToken(DateTime Issued, string SessionId, string TokenId, Client Client, string Address);
