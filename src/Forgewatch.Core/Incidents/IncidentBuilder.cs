using System.Security.Cryptography;
using System.Text;
using Forgewatch.Core.Alerts;

namespace Forgewatch.Core.Incidents;

/// <summary>
/// Groups alerts into incidents. Within a tenant, alerts that share a session or token, or an address or
/// application named by an alert of medium severity or above, are one actor's doing; low-severity alerts
/// join such a group through its addresses and applications but never link groups by them, since an
/// office gateway or a widely used application is shared by everyone. A group becomes an incident when one
/// of its alerts is medium or above or two detections agree; other alerts stay without an incident.
/// Severity is the highest alert severity, raised one step when two or more detections agree and one of
/// them is medium or above (a low alert joined only through an address or application does not count).
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
                if (IsLinking(alerts[i], key))
                {
                    Link(owners, parent, alerts[i].Tenant, key, i);
                }
            }
        }

        // A low-severity alert still on its own joins one group through its addresses and applications (the
        // first that has one of them), once all are known; it never joins two groups that way.
        int[] size = new int[alerts.Count];
        bool[] weaklyJoined = new bool[alerts.Count];
        for (int i = 0; i < alerts.Count; i++)
        {
            size[Find(parent, i)]++;
        }

        for (int i = 0; i < alerts.Count; i++)
        {
            if (size[Find(parent, i)] != 1)
            {
                continue;
            }

            foreach (ActorKey key in alerts[i].ActorKeys)
            {
                if (!IsLinking(alerts[i], key) && owners.TryGetValue((alerts[i].Tenant, key), out int owner))
                {
                    int joined = size[Find(parent, owner)] + size[Find(parent, i)];
                    Union(parent, i, owner);
                    size[Find(parent, i)] = joined;
                    weaklyJoined[i] = true;
                    break;
                }
            }
        }

        var incidents = new List<Incident>();
        foreach (IGrouping<int, int> group in Enumerable.Range(0, alerts.Count).GroupBy(i => Find(parent, i)))
        {
            List<Alert> members = group.Select(i => alerts[i]).OrderBy(a => a.FirstSeen).ThenBy(a => a.Id, StringComparer.Ordinal).ToList();
            Severity severity = members.Max(a => a.Severity);

            // A low alert that only shares an address or application with the group is too weak a link to
            // count as a second detection agreeing.
            int detections = group.Where(i => !weaklyJoined[i]).Select(i => alerts[i].Detection).Distinct(StringComparer.Ordinal).Count();
            if (severity < Severity.Medium && detections < 2)
            {
                continue;
            }

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

    /// <summary>True when <paramref name="key"/> of <paramref name="alert"/> may link groups: sessions and
    /// tokens always, addresses and applications only from alerts of medium severity or above.</summary>
    internal static bool IsLinking(Alert alert, ActorKey key) =>
        key.Kind is ActorKind.Session or ActorKind.Token || alert.Severity >= Severity.Medium;

    private static void Link(Dictionary<(string Tenant, ActorKey Key), int> owners, int[] parent, string tenant, ActorKey key, int alert)
    {
        if (owners.TryGetValue((tenant, key), out int other))
        {
            Union(parent, alert, other);
        }
        else
        {
            owners[(tenant, key)] = alert;
        }
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
