using Forgewatch.Server.Incidents;
using Forgewatch.Server.Storage;

namespace Forgewatch.Server.Detection;

/// <summary>
/// One investigation of a tenant outside the server (<c>forgewatch hunt</c>): opens its detection stream from
/// the stored snapshot, or from the whole history when the snapshot no longer fits (a new indicator file,
/// say), saves the incidents it finds and the stream's snapshot for the next start of the server.
/// </summary>
public static class TenantInvestigation
{
    public static IReadOnlyList<StoredIncident> InvestigateAndSave(IServerStore store, string tenant, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        // One run, then the process ends: the exposure is read from the whole history at once, not in the background.
        TenantDetection stream = TenantDetection.Open(store, tenant, StreamSettings.Default with { ExposureRescan = TimeSpan.Zero });
        IReadOnlyList<StoredIncident> incidents = stream.Incidents();
        store.SaveIncidents(tenant, incidents, now);
        store.SaveSnapshot(tenant, stream.Snapshot(now));
        return incidents;
    }
}
