using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Evaluation;

/// <summary>
/// What the scan outputs said about one attack, gathered while they are read: which of its mailboxes a
/// medium-or-above incident caught, which messages were reported read in each, and its earliest alert.
/// Mailboxes compare case-insensitively (UPNs); message ids exactly, as logged.
/// </summary>
internal sealed class AttackTally
{
    private readonly HashSet<string> _attacked;
    private readonly HashSet<string> _detected = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, HashSet<string>> _exposed = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, HashSet<string>> _reported = new(StringComparer.OrdinalIgnoreCase);
    private (DateTime FirstSeen, string Id, int Index)? _firstAlert;

    public AttackTally(TruthAttack attack)
    {
        Attack = attack;
        Mailboxes = [.. attack.Mailboxes.Distinct(StringComparer.OrdinalIgnoreCase)];
        _attacked = new HashSet<string>(Mailboxes, StringComparer.OrdinalIgnoreCase);
        foreach ((string mailbox, IReadOnlyList<string> messages) in attack.Exposed)
        {
            // Keys differing only in case are one mailbox.
            if (!_exposed.TryGetValue(mailbox, out var set))
            {
                set = new HashSet<string>(StringComparer.Ordinal);
                _exposed.Add(mailbox, set);
            }

            set.UnionWith(messages);
        }
    }

    public TruthAttack Attack { get; }

    /// <summary>The attack's mailboxes, each once whatever its case.</summary>
    public IReadOnlyList<string> Mailboxes { get; }

    public int DetectedMailboxes => Mailboxes.Count(_detected.Contains);

    /// <summary>The position in <c>malicious_record_ids</c> of the first record the earliest alert citing
    /// this attack cites; null when no alert cites it.</summary>
    public int? FirstAlertIndex => _firstAlert?.Index;

    /// <summary>An alert cites this attack, the earliest of its records at <paramref name="index"/>.</summary>
    public void OfferAlert(ScanAlert alert, int index)
    {
        // Earliest by first_seen, then id, as alerts.jsonl is ordered.
        if (_firstAlert is not { } first
            || alert.FirstSeen < first.FirstSeen
            || (alert.FirstSeen == first.FirstSeen && string.CompareOrdinal(alert.Id, first.Id) < 0))
        {
            _firstAlert = (alert.FirstSeen, alert.Id, index);
        }
    }

    /// <summary>A medium-or-above incident citing this attack names <paramref name="mailbox"/>.</summary>
    public void MarkDetected(string mailbox) => _detected.Add(mailbox);

    /// <summary>exposure.csv lists <paramref name="internetMessageId"/> as read in <paramref name="mailbox"/>
    /// by an incident citing this attack; mailboxes the attack did not touch are not its exposure.</summary>
    public void Report(string mailbox, string internetMessageId)
    {
        if (!_attacked.Contains(mailbox))
        {
            return;
        }

        if (!_reported.TryGetValue(mailbox, out var set))
        {
            set = new HashSet<string>(StringComparer.Ordinal);
            _reported.Add(mailbox, set);
        }

        set.Add(internetMessageId);
    }

    /// <summary>|reported ∩ exposed| / |reported ∪ exposed| for <paramref name="mailbox"/>; 1 when both are empty
    /// (nothing was read and nothing was claimed).</summary>
    public double Jaccard(string mailbox)
    {
        HashSet<string> truth = _exposed.TryGetValue(mailbox, out var t) ? t : [];
        HashSet<string> reported = _reported.TryGetValue(mailbox, out var r) ? r : [];
        int both = reported.Count(truth.Contains);
        int either = truth.Count + reported.Count - both;
        return either == 0 ? 1.0 : (double)both / either;
    }
}
