using System.Security.Cryptography;
using System.Text;
using Forgewatch.Core.Engine.Snapshots;

namespace Forgewatch.Core.Alerts;

/// <summary>
/// Turns findings into alerts: a finding joins the open alert of its detection, tenant and group when it
/// comes within <see cref="MergeGap"/> of that alert's last evidence, and opens a new alert otherwise.
/// Findings must arrive in event-time order (the engine guarantees it). Not thread-safe.
/// </summary>
public sealed class AlertCollector(TimeSpan mergeGap)
{
    private readonly Dictionary<(string Detection, string Tenant, string Group), Alert> _open = new(GroupComparer.Instance);
    private readonly List<Alert> _all = [];

    /// <summary>Findings further apart than this start a new alert.</summary>
    public TimeSpan MergeGap { get; } = mergeGap;

    /// <summary>Every alert raised so far, in the order they were opened.</summary>
    public IReadOnlyList<Alert> Alerts => _all;

    /// <summary>Adds a finding of <paramref name="detection"/>; returns the alert it joined or opened.</summary>
    public Alert Raise(string detection, string title, in Finding finding)
    {
        var key = (detection, finding.Tenant, finding.Group);
        if (_open.TryGetValue(key, out Alert? alert) && finding.Evidence.Time - alert.LastSeen <= MergeGap)
        {
            alert.Merge(finding);
            return alert;
        }

        alert = new Alert(MakeId(detection, finding), detection, title, finding);
        alert.AddEvidence(finding);
        _open[key] = alert;
        _all.Add(alert);
        return alert;
    }

    /// <summary>The open alert of a group, if any: lets a detection add evidence without raising anew.</summary>
    public Alert? Open(string detection, string tenant, string group) =>
        _open.TryGetValue((detection, tenant, group), out Alert? alert) ? alert : null;

    /// <summary>Writes every alert in opening order, then which is open for each group (by position).</summary>
    internal void WriteState(SnapshotWriter writer)
    {
        writer.WriteItems(_all, static (w, alert) => alert.Write(w));
        var positions = new Dictionary<Alert, int>(_all.Count, ReferenceEqualityComparer.Instance);
        foreach (Alert alert in _all)
        {
            positions.Add(alert, positions.Count);
        }

        writer.WriteItems(_open, (w, open) =>
        {
            w.WriteString(open.Key.Detection);
            w.WriteString(open.Key.Tenant);
            w.WriteString(open.Key.Group);
            w.WriteCount(positions[open.Value]);
        });
    }

    /// <summary>Replaces every alert with those <see cref="WriteState"/> wrote.</summary>
    internal void ReadState(SnapshotReader reader)
    {
        _all.Clear();
        _open.Clear();
        reader.ReadItems(r => _all.Add(Alert.Read(r)));
        reader.ReadItems(r =>
        {
            var key = (r.ReadString(), r.ReadString(), r.ReadString());
            _open.Add(key, _all[r.ReadIndex(_all.Count)]);
        });
    }

    private static string MakeId(string detection, in Finding finding)
    {
        string seed = string.Join('\n', detection, finding.Tenant, finding.Group, finding.Evidence.RecordId, finding.Evidence.Time.Ticks);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(seed), hash);
        return $"{detection}-{Convert.ToHexStringLower(hash[..6])}";
    }

    private sealed class GroupComparer : IEqualityComparer<(string Detection, string Tenant, string Group)>
    {
        public static readonly GroupComparer Instance = new();

        public bool Equals((string Detection, string Tenant, string Group) x, (string Detection, string Tenant, string Group) y) =>
            string.Equals(x.Detection, y.Detection, StringComparison.Ordinal)
            && string.Equals(x.Tenant, y.Tenant, StringComparison.OrdinalIgnoreCase)
            && string.Equals(x.Group, y.Group, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((string Detection, string Tenant, string Group) obj) =>
            HashCode.Combine(obj.Detection, StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Tenant), StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Group));
    }
}
