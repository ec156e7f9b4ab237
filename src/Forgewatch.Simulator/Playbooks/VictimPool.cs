using Forgewatch.Simulator.Model;
using Forgewatch.Simulator.Randomness;

namespace Forgewatch.Simulator.Playbooks;

/// <summary>
/// The people of one tenant the attacks have not chosen yet, shared by the tenant's playbooks: separate
/// attacks are separate actors, each with its own victims, so that each can be scored on its own (two
/// actors in one mailbox on one night would be one incident, and neither attack's exposure its own).
/// </summary>
internal sealed class VictimPool(SimTenant tenant)
{
    private readonly HashSet<SimUser> _taken = [];

    /// <summary>Up to <paramref name="count"/> people nobody chose yet, those <paramref name="preferred"/>
    /// first; people already chosen only when nobody else is left.</summary>
    public List<SimUser> Take(SimRandom random, int count, Func<SimUser, bool>? preferred = null)
    {
        var chosen = new List<SimUser>(count);
        foreach (Func<SimUser, bool> eligible in new Func<SimUser, bool>[] { u => !_taken.Contains(u) && (preferred?.Invoke(u) ?? true), u => !_taken.Contains(u), _ => true })
        {
            List<SimUser> candidates = [.. tenant.Users.Where(u => eligible(u) && !chosen.Contains(u))];
            while (chosen.Count < count && candidates.Count > 0)
            {
                SimUser user = candidates[random.Below(candidates.Count)];
                candidates.Remove(user);
                chosen.Add(user);
            }
        }

        _taken.UnionWith(chosen);
        return chosen;
    }
}
