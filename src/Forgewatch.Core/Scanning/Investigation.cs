using Forgewatch.Core.Alerts;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Spool;
using Forgewatch.Core.Events;
using Forgewatch.Core.Exposure;
using Forgewatch.Core.Incidents;

namespace Forgewatch.Core.Scanning;

/// <summary>
/// The stages after reading: detections over the events in time order, incidents from the alerts, then a
/// second pass over the events for what each incident's actor read, and the summaries.
/// </summary>
public static class Investigation
{
    /// <summary>Below this many events, splitting the detections over two threads costs more than it saves.</summary>
    private const int ParallelFrom = 20_000;

    private static IEnumerable<(AuditEvent, string)> Examined(EventSpool events, Func<AuditEvent, string> tenantOf, Func<string, bool>? includeTenant)
    {
        foreach (AuditEvent e in events.Replay())
        {
            string tenant = tenantOf(e);
            if (includeTenant is null || includeTenant(tenant))
            {
                yield return (e, tenant);
            }
        }
    }

    /// <param name="events">Every event, replayable in time order.</param>
    /// <param name="tenantOf">The tenant of an event (resolved for records that name none).</param>
    /// <param name="detections">The detections to run, fresh.</param>
    /// <param name="context">Their shared context.</param>
    /// <param name="includeTenant">Which tenants to examine (all when null).</param>
    /// <param name="stage">Told when each stage ends ("detect", "incidents", "exposure"), for timings.</param>
    public static InvestigationResult Run(
        EventSpool events,
        Func<AuditEvent, string> tenantOf,
        IReadOnlyList<IDetection> detections,
        DetectionContext context,
        Func<string, bool>? includeTenant = null,
        Action<string>? stage = null)
    {
        DetectionRun.Outcome detected = DetectionRun.Run(
            Examined(events, tenantOf, includeTenant),
            detections,
            context,
            parallel: Environment.ProcessorCount > 1 && events.Count >= ParallelFrom);
        stage?.Invoke("detect");
        (IReadOnlyList<Incident> incidents, IReadOnlyList<ExposureEntry> exposure) = Conclude(
            detected.Alerts,
            detections,
            keys => events.ReplayMailAccess(keys).Select(e => ((AuditEvent)e, tenantOf(e))),
            stage);
        return new InvestigationResult(detected.Alerts, incidents, exposure, detected.Evaluation, detected.Events);
    }

    /// <summary>
    /// The stages after detection, shared by <c>scan</c> and the server: incidents from the alerts, what each
    /// incident's actor read, and the summaries.
    /// </summary>
    /// <param name="alerts">Every alert, earliest first, then by id.</param>
    /// <param name="detections">The detections that raised them (for their titles).</param>
    /// <param name="mailAccess">The mail accesses, in time order with their tenants, that carry one of the given
    /// actor keys (more is harmless: the exposure pass matches the keys itself).</param>
    /// <param name="stage">Told when each stage ends ("incidents", "exposure").</param>
    public static (IReadOnlyList<Incident> Incidents, IReadOnlyList<ExposureEntry> Exposure) Conclude(
        IReadOnlyList<Alert> alerts,
        IReadOnlyList<IDetection> detections,
        Func<IReadOnlyCollection<ActorKey>, IEnumerable<(AuditEvent Event, string Tenant)>> mailAccess,
        Action<string>? stage = null)
    {
        ArgumentNullException.ThrowIfNull(mailAccess);
        IReadOnlyList<Incident> incidents = IncidentBuilder.Build(alerts);
        stage?.Invoke("incidents");

        var exposure = new ExposureCollector(incidents);
        if (incidents.Count > 0)
        {
            foreach ((AuditEvent e, string tenant) in mailAccess([.. incidents.SelectMany(i => i.ActorKeys).Distinct()]))
            {
                exposure.Observe(e, tenant);
            }
        }

        exposure.Finish();
        stage?.Invoke("exposure");
        Dictionary<string, string> titles = detections.ToDictionary(d => d.Id, d => d.Title, StringComparer.Ordinal);
        foreach (Incident incident in incidents)
        {
            incident.Summary = IncidentSummary.Write(incident, titles);
        }

        return (incidents, exposure.Entries);
    }
}

/// <summary>What an investigation found.</summary>
/// <param name="Alerts">Every alert, earliest first.</param>
/// <param name="Incidents">The incidents, most severe first.</param>
/// <param name="Exposure">Every exposure line, in time order within each incident.</param>
/// <param name="Evaluation">What each detection could and could not evaluate.</param>
/// <param name="Events">Events the detections looked at.</param>
public sealed record InvestigationResult(
    IReadOnlyList<Alert> Alerts,
    IReadOnlyList<Incident> Incidents,
    IReadOnlyList<ExposureEntry> Exposure,
    EvaluationLog Evaluation,
    long Events);
