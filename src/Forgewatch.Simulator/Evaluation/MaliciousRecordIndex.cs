using Forgewatch.Simulator.Truth;

namespace Forgewatch.Simulator.Evaluation;

/// <summary>
/// Which attack caused a record, and at which position of its <c>malicious_record_ids</c>. Ids are compared
/// case-insensitively: GUIDs are logged in either case. A record may belong to more than one attack.
/// </summary>
internal sealed class MaliciousRecordIndex
{
    private readonly Dictionary<string, List<(int Attack, int Position)>> _records = new(StringComparer.OrdinalIgnoreCase);

    public MaliciousRecordIndex(IReadOnlyList<TruthAttack> attacks)
    {
        for (int attack = 0; attack < attacks.Count; attack++)
        {
            IReadOnlyList<string> ids = attacks[attack].MaliciousRecordIds;
            for (int position = 0; position < ids.Count; position++)
            {
                if (!_records.TryGetValue(ids[position], out var owners))
                {
                    owners = [];
                    _records.Add(ids[position], owners);
                }

                // Positions rise, so an id listed twice by one attack keeps its first (smallest) one.
                if (!owners.Exists(o => o.Attack == attack))
                {
                    owners.Add((attack, position));
                }
            }
        }
    }

    /// <summary>The attacks <paramref name="evidenceIds"/> cite, each with the smallest position cited;
    /// empty when none.</summary>
    public Dictionary<int, int> Cited(IReadOnlyList<string> evidenceIds)
    {
        var cited = new Dictionary<int, int>();
        foreach (string id in evidenceIds)
        {
            if (!_records.TryGetValue(id, out var owners))
            {
                continue;
            }

            foreach ((int attack, int position) in owners)
            {
                cited[attack] = cited.TryGetValue(attack, out int known) ? Math.Min(known, position) : position;
            }
        }

        return cited;
    }
}
