using System.Security.Cryptography;
using System.Text;
using Forgewatch.Core.Alerts;

namespace Forgewatch.Core.Incidents;

/// <summary>
/// Groups alerts into incidents: within a tenant, alerts that share an actor key (directly or through other
/// alerts) form one incident. Severity is the highest alert severity, raised one step when two or more
/// detections agree and at least one of them is medium or above.
/// </summary>
public static class IncidentBuilder
{
    /// <summary>Forms the incidents and sets each alert's <see cref="Alert.Incident"/>. Ordered most severe
    /// first, then earliest first.</summary>
    public static IReadOnlyList<Incident> Build(IReadOnlyList<Alert> alerts)
    {
        int[] parent = Enumerable.Range(0, alerts.Count).ToArray();
        var owners = new Dictionary<(string Tenant, ActorKey Key), int>(TenantActorComparer.Instance);
        for (int i = 0; i < alerts.Count; i++)
        {
            foreach (ActorKey key in alerts[i].ActorKeys)
            {
                if (owners.TryGetValue((alerts[i].Tenant, key), out int other))
                {
                    Union(parent, i, other);
                }
                else
                {
                    owners[(alerts[i].Tenant, key)] = i;
                }
            }
        }

        var incidents = new List<Incident>();
        foreach (IGrouping<int, Alert> group in Enumerable.Range(0, alerts.Count).GroupBy(i => Find(parent, i), i => alerts[i]))
        {
            List<Alert> members = group.OrderBy(a => a.FirstSeen).ThenBy(a => a.Id, StringComparer.Ordinal).ToList();
            Severity severity = members.Max(a => a.Severity);
            int detections = members.Select(a => a.Detection).Distinct(StringComparer.Ordinal).Count();
            if (detections >= 2 && severity >= Severity.Medium)
            {
                severity = severity.Raised();
            }

            var incident = new Incident(MakeId(members[0]), members[0].Tenant, members, severity);
            foreach (Alert alert in members)
            {
                alert.Incident = incident.Id;
            }

            incidents.Add(incident);
        }

        return incidents.OrderByDescending(i => i.Severity).ThenBy(i => i.FirstSeen).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
    }

    private static string MakeId(Alert first)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(first.Tenant, "\n", first.Id)), hash);
        return $"INC-{Convert.ToHexStringLower(hash[..5])}";
    }

    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }

        return i;
    }

    private static void Union(int[] parent, int a, int b)
    {
        int rootA = Find(parent, a);
        int rootB = Find(parent, b);
        if (rootA != rootB)
        {
            parent[Math.Max(rootA, rootB)] = Math.Min(rootA, rootB);
        }
    }

    private sealed class TenantActorComparer : IEqualityComparer<(string Tenant, ActorKey Key)>
    {
        public static readonly TenantActorComparer Instance = new();

        public bool Equals((string Tenant, ActorKey Key) x, (string Tenant, ActorKey Key) y) =>
            string.Equals(x.Tenant, y.Tenant, StringComparison.OrdinalIgnoreCase) && x.Key.Equals(y.Key);

        public int GetHashCode((string Tenant, ActorKey Key) obj) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Tenant), obj.Key);
    }
}
