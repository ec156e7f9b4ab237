using Forgewatch.Core.Alerts;
using Forgewatch.Core.Exposure;

namespace Forgewatch.Core.Incidents;

/// <summary>
/// Alerts of one tenant that share an actor (a session, token, address or application), with what that
/// actor read. Built by <see cref="IncidentBuilder"/>; <see cref="Exposure"/> and <see cref="Summary"/> are
/// filled once the exposure pass has run. Field names in <c>incidents.jsonl</c> follow these members.
/// </summary>
public sealed class Incident
{
    internal Incident(string id, string tenant, IReadOnlyList<Alert> alerts, Severity severity)
    {
        Id = id;
        Tenant = tenant;
        Alerts = alerts;
        Severity = severity;
        Confidence = alerts.Max(a => a.Confidence);
        FirstSeen = alerts.Min(a => a.FirstSeen);
        LastSeen = alerts.Max(a => a.LastSeen);
        Detections = alerts.Select(a => a.Detection).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Users = alerts.Select(a => a.User).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
        ActorKeys = alerts.SelectMany(a => a.ActorKeys.Where(k => IncidentBuilder.IsLinking(a, k))).Distinct()
            .OrderBy(k => k.Kind).ThenBy(k => k.Value, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public string Id { get; }

    public string Tenant { get; }

    /// <summary>The alerts, in the order they began: the incident's timeline.</summary>
    public IReadOnlyList<Alert> Alerts { get; }

    /// <summary>The highest alert severity, one step higher when several detections agree (docs/formats.md).</summary>
    public Severity Severity { get; }

    public Confidence Confidence { get; }

    public DateTime FirstSeen { get; }

    public DateTime LastSeen { get; }

    /// <summary>The detections that raised its alerts, by id.</summary>
    public IReadOnlyList<string> Detections { get; }

    /// <summary>Acting users named by its alerts.</summary>
    public IReadOnlyList<string> Users { get; }

    /// <summary>The identifiers of the actor: its alerts' sessions and tokens, and the addresses and
    /// applications named by its alerts of medium severity or above. Its exposure is the mail read with them.</summary>
    public IReadOnlyList<ActorKey> ActorKeys { get; }

    /// <summary>Mailboxes named by its alerts or read by its actor, in name order.</summary>
    public IReadOnlyList<string> Mailboxes =>
        Alerts.Select(a => a.Mailbox).OfType<string>().Concat(Exposure.Select(m => m.Mailbox))
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Per mailbox, what the actor read (empty until the exposure pass has run).</summary>
    public IReadOnlyList<MailboxExposure> Exposure { get; internal set; } = [];

    /// <summary>One paragraph for the tenant's admins (empty until the exposure pass has run).</summary>
    public string Summary { get; internal set; } = string.Empty;
}
