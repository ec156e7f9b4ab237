using Forgewatch.Core.Coverage;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Spool;
using Forgewatch.Core.Events;
using Forgewatch.Core.Indicators;
using Forgewatch.Core.Scanning;

namespace Forgewatch.Server.Detection;

/// <summary>
/// Runs <c>scan</c>'s investigation (the same detections, incidents and exposure code, with the built-in
/// Storm-0558 indicators) over everything stored for one tenant, in event-time order. Because every run
/// starts from the stored history, the order in which records arrived cannot change what is found, a
/// restart loses nothing, and a <c>scan</c> of the same records finds the same incidents. The cost grows
/// with the tenant's history; an incremental engine with snapshots is the next step (issue 6).
/// </summary>
public static class TenantInvestigation
{
    public static InvestigationResult Run(IEnumerable<AuditEvent> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        using var spool = new EventSpool();
        var coverage = new CoverageMap();
        foreach (AuditEvent e in history)
        {
            coverage.Add(e);
            spool.Add(e);
        }

        var context = new DetectionContext(new DetectionOptions(), Storm0558Indicators.Create(), coverage);
        return Investigation.Run(spool, coverage.TenantOf, BuiltInDetections.Create(), context);
    }
}
