using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Evaluation;

/// <summary>
/// Scores the outputs of one scan against a truth file. The outputs are read once each, in the order
/// their links run: alerts (which attacks each cites), incidents (which attacks each cites through its
/// alerts), then exposure.csv (only rows of incidents citing an attack are kept, so a large file is not
/// held in memory).
/// </summary>
internal static class ScanScorer
{
    public static ScanEvaluation Score(TruthFile truth, string resultsDirectory)
    {
        AttackTally[] tallies = [.. truth.Attacks.Select(a => new AttackTally(a))];
        var records = new MaliciousRecordIndex(truth.Attacks);

        // Alert id -> the attacks whose malicious records it cites; every alert id, to check incidents.
        var citing = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var alerts = new HashSet<string>(StringComparer.Ordinal);
        JsonLinesReader.Read(Path.Combine(resultsDirectory, ScanAlert.FileName), line =>
        {
            ScanAlert alert = ScanAlert.Parse(line);
            alerts.Add(alert.Id);
            Dictionary<int, int> cited = records.Cited(alert.EvidenceIds);
            if (cited.Count > 0)
            {
                citing[alert.Id] = [.. cited.Keys];
                foreach ((int attack, int index) in cited)
                {
                    tallies[attack].OfferAlert(alert, index);
                }
            }
        });

        var simulated = truth.Tenants.Select(t => t.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var incidentAttacks = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        int mediumOrAbove = 0;
        var falseIncidents = new List<string>();
        JsonLinesReader.Read(Path.Combine(resultsDirectory, ScanIncident.FileName), line =>
        {
            ScanIncident incident = ScanIncident.Parse(line);

            // A scan of the simulated logs together with others (the samples folder): only the simulated
            // tenants' incidents can be scored.
            if (!simulated.Contains(incident.Tenant))
            {
                return;
            }
            var attacks = new HashSet<int>();
            foreach (string alertId in incident.AlertIds)
            {
                // An incident whose alerts are missing means outputs of different scans, or a cut file:
                // scoring it would silently count a detection as false.
                if (!alerts.Contains(alertId))
                {
                    throw new InvalidDataException($"alert '{alertId}' of incident '{incident.Id}' is not in {ScanAlert.FileName}.");
                }

                if (citing.TryGetValue(alertId, out int[]? cited))
                {
                    attacks.UnionWith(cited);
                }
            }

            if (attacks.Count > 0)
            {
                incidentAttacks[incident.Id] = attacks;
            }

            if (!incident.IsMediumOrAbove)
            {
                return;
            }

            mediumOrAbove++;
            if (attacks.Count == 0)
            {
                falseIncidents.Add(incident.Id);
            }

            foreach (int attack in attacks)
            {
                foreach (string mailbox in incident.Mailboxes)
                {
                    tallies[attack].MarkDetected(mailbox);
                }
            }
        });

        ExposureCsvReader.Read(Path.Combine(resultsDirectory, ExposureCsvReader.FileName), message =>
        {
            if (incidentAttacks.TryGetValue(message.Incident, out var attacks))
            {
                foreach (int attack in attacks)
                {
                    tallies[attack].Report(message.Mailbox, message.InternetMessageId);
                }
            }
        });

        var benign = new BenignScore
        {
            Incidents = mediumOrAbove,
            FalseIncidentIds = falseIncidents,
            BenignMailboxDays = BenignMailboxDays(truth, tallies),
        };
        double falseRate = benign.FalseIncidentsPer1000MailboxDays;
        return new ScanEvaluation
        {
            Playbooks = [.. tallies
                .GroupBy(t => t.Attack.Playbook, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => Summarize(g.Key, [.. g], falseRate))],
            Overall = Summarize("overall", tallies, falseRate),
            Benign = benign,
        };
    }

    /// <summary>The truth's mailbox-days less every attacked mailbox (once, whatever its case or number of
    /// attacks) for the whole simulation: the days on which an incident could only be false.</summary>
    private static long BenignMailboxDays(TruthFile truth, IEnumerable<AttackTally> tallies)
    {
        long attacked = tallies.SelectMany(t => t.Mailboxes).Distinct(StringComparer.OrdinalIgnoreCase).LongCount();
        return Math.Max(1, truth.MailboxDays - (attacked * truth.Days));
    }

    private static PlaybookScore Summarize(string playbook, AttackTally[] tallies, double falseRate)
    {
        double[] jaccards = [.. tallies.SelectMany(t => t.Mailboxes.Select(t.Jaccard))];
        int[] indexes = [.. tallies.Where(t => t.FirstAlertIndex is not null).Select(t => t.FirstAlertIndex!.Value)];
        return new PlaybookScore
        {
            Playbook = playbook,
            Attacks = tallies.Length,
            AttackedMailboxes = jaccards.Length,
            DetectedMailboxes = tallies.Sum(t => t.DetectedMailboxes),
            ExposureJaccard = jaccards.Length == 0 ? null : jaccards.Average(),
            AlertedAttacks = indexes.Length,
            FirstAlertRecordIndexMedian = Median(indexes),
            FalseIncidentsPer1000MailboxDays = falseRate,
        };
    }

    /// <summary>The middle value, or the mean of the two middle values; null for none.</summary>
    internal static double? Median(IReadOnlyList<int> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        int[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + (double)sorted[middle]) / 2;
    }
}
