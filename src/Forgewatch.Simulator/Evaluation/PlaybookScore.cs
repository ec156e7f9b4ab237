namespace Forgewatch.Simulator.Evaluation;

/// <summary>
/// How well a scan caught the attacks of one playbook (or of every playbook, <see cref="ScanEvaluation.Overall"/>).
/// Definitions are in docs/formats.md, "evaluation.json"; a metric with nothing to measure is null.
/// </summary>
public sealed record PlaybookScore
{
    /// <summary>The playbook's name as in truth.json.</summary>
    public required string Playbook { get; init; }

    /// <summary>Attacks of the playbook in truth.json.</summary>
    public int Attacks { get; init; }

    /// <summary>Mailboxes attacked, counted once per attack (an attack and one of its mailboxes is one case).</summary>
    public int AttackedMailboxes { get; init; }

    /// <summary>Attacked mailboxes named by an incident of medium severity or above that has an alert
    /// citing one of that attack's malicious records.</summary>
    public int DetectedMailboxes { get; init; }

    /// <summary><see cref="DetectedMailboxes"/> / <see cref="AttackedMailboxes"/>; null when no mailbox was attacked.</summary>
    public double? Recall => AttackedMailboxes == 0 ? null : (double)DetectedMailboxes / AttackedMailboxes;

    /// <summary>Mean Jaccard index, over the attacked mailboxes, of reported against truly exposed messages;
    /// null when no mailbox was attacked.</summary>
    public double? ExposureJaccard { get; init; }

    /// <summary>Attacks with at least one alert citing one of their malicious records.</summary>
    public int AlertedAttacks { get; init; }

    /// <summary>Attacks no alert cites; left out of <see cref="FirstAlertRecordIndexMedian"/>.</summary>
    public int UndetectedAttacks => Attacks - AlertedAttacks;

    /// <summary>Median, over the alerted attacks, of how many malicious records came before the first one
    /// the attack's earliest alert cites; null when no attack was alerted on.</summary>
    public double? FirstAlertRecordIndexMedian { get; init; }

    /// <summary>The global false-incident rate (<see cref="BenignScore"/>), repeated in each playbook's entry.</summary>
    public double FalseIncidentsPer1000MailboxDays { get; init; }
}
