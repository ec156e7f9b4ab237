namespace Forgewatch.Simulator.Evaluation;

/// <summary>
/// False incidents: incidents of medium severity or above none of whose alerts cite a malicious record of
/// any attack, per 1,000 mailbox-days in which no attack happened.
/// </summary>
public sealed record BenignScore
{
    /// <summary>Incidents of medium severity or above in incidents.jsonl.</summary>
    public int Incidents { get; init; }

    /// <summary>Ids of the false incidents, in incidents.jsonl order.</summary>
    public IReadOnlyList<string> FalseIncidentIds { get; init; } = [];

    public int FalseIncidents => FalseIncidentIds.Count;

    /// <summary>The truth's mailbox-days less those of attacked mailboxes (each attacked mailbox, once,
    /// times the days simulated); at least 1.</summary>
    public long BenignMailboxDays { get; init; } = 1;

    public double FalseIncidentsPer1000MailboxDays => FalseIncidents * 1000.0 / BenignMailboxDays;
}
