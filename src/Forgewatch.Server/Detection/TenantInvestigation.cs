using Forgewatch.Core.Coverage;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Spool;
using Forgewatch.Core.Events;
using Forgewatch.Core.Indicators;
using Forgewatch.Core.Scanning;
using Forgewatch.Server.Incidents;
using Forgewatch.Server.Storage;

namespace Forgewatch.Server.Detection;

/// <summary>
/// Runs <c>scan</c>'s investigation (the same detections, incidents and exposure code, with the built-in
/// Storm-0558 indicators and the tenant's own indicator files, as <c>scan --ioc</c> would) over everything
/// stored for one tenant, in event-time order. A new indicator file thus hunts through the whole history:
/// past matches become incidents. Because every run
/// starts from the stored history, the order in which records arrived cannot change what is found, a
/// restart loses nothing, and a <c>scan</c> of the same records finds the same incidents. The cost grows
/// with the tenant's history; an incremental engine with snapshots is the next step (issue 6).
/// </summary>
public static class TenantInvestigation
{
    /// <summary>Investigates the tenant's stored history with its indicator files and saves the incidents
    /// (<see cref="IServerStore.SaveIncidents"/>); returns them.</summary>
    public static IReadOnlyList<StoredIncident> InvestigateAndSave(IServerStore store, string tenant, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        InvestigationResult result = Run(store.ReadEvents(tenant), store.IndicatorFiles(tenant));
        StoredIncident[] incidents = [.. result.Incidents.Select(i => new StoredIncident(tenant, i.Id, i.Severity, i.FirstSeen, i.LastSeen, IncidentJson.Of(i)))];
        store.SaveIncidents(tenant, incidents, now);
        return incidents;
    }

    public static InvestigationResult Run(IEnumerable<AuditEvent> history, IEnumerable<(string Name, byte[] Content)> indicatorFiles)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(indicatorFiles);
        IndicatorSet indicators = Storm0558Indicators.Create();
        foreach ((string name, byte[] content) in indicatorFiles)
        {
            using var stream = new MemoryStream(content, writable: false);
            IndicatorFile.Read(stream, name, indicators);
        }

        using var spool = new EventSpool();
        var coverage = new CoverageMap();
        foreach (AuditEvent e in history)
        {
            coverage.Add(e);
            spool.Add(e);
        }

        var context = new DetectionContext(new DetectionOptions(), indicators, coverage);
        return Investigation.Run(spool, coverage.TenantOf, BuiltInDetections.Create(), context);
    }
}
