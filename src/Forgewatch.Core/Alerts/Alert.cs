namespace Forgewatch.Core.Alerts;

/// <summary>
/// One alert: findings of one detection for one group (a mailbox and an application, say) that are close in
/// time, with the records that are their evidence. Built by <see cref="AlertCollector"/>, which owns it
/// until the collector finishes; read-only for everyone else. Field names in <c>alerts.jsonl</c> follow
/// these members (docs/formats.md).
/// </summary>
public sealed partial class Alert
{
    /// <summary>At most this many evidence record ids are kept; <see cref="EvidenceCount"/> counts them all.</summary>
    public const int MaxEvidenceIds = 1000;

    /// <summary>At most this many actor keys are kept per alert.</summary>
    public const int MaxActorKeys = 64;

    private readonly List<string> _evidenceIds = [];
    private readonly HashSet<ActorKey> _actorKeys = [];

    internal Alert(string id, string detection, string title, in Finding first)
    {
        Id = id;
        Detection = detection;
        Title = title;
        Tenant = first.Tenant;
        Group = first.Group;
        User = first.Evidence.UserId;
        Mailbox = first.Mailbox;
        FirstSeen = first.Evidence.Time;
        LastSeen = first.Evidence.Time;
        Severity = first.Severity;
        Confidence = first.Confidence;
        Reason = first.Reason;
        Attributes = AlertAttributes.Of(first.Evidence);
        Details = first.Details ?? new Dictionary<string, string>();
    }

    /// <summary>Stable id: the detection id and a hash of the tenant, group and first evidence record.</summary>
    public string Id { get; }

    /// <summary>Detection id, e.g. <c>FW1001</c>.</summary>
    public string Detection { get; }

    public string Title { get; }

    public string Tenant { get; }

    /// <summary>What the detection merged findings by (see <see cref="Finding.Group"/>).</summary>
    public string Group { get; }

    /// <summary>The acting user of the first evidence record, as logged.</summary>
    public string? User { get; }

    public string? Mailbox { get; }

    public DateTime FirstSeen { get; }

    public DateTime LastSeen { get; private set; }

    /// <summary>The highest severity of the merged findings.</summary>
    public Severity Severity { get; private set; }

    /// <summary>The highest confidence of the merged findings.</summary>
    public Confidence Confidence { get; private set; }

    /// <summary>The sentence of the latest finding of the alert's highest severity.</summary>
    public string Reason { get; private set; }

    public AlertAttributes Attributes { get; }

    /// <summary>Detection-specific facts of the latest finding of the alert's highest severity.</summary>
    public IReadOnlyDictionary<string, string> Details { get; private set; }

    /// <summary>Record ids of the evidence, in event-time order; the first <see cref="MaxEvidenceIds"/>.</summary>
    public IReadOnlyList<string> EvidenceIds => _evidenceIds;

    /// <summary>How many records are evidence, kept or not.</summary>
    public long EvidenceCount { get; private set; }

    /// <summary>The identifiers that name the actor (at most <see cref="MaxActorKeys"/>, first seen first kept).</summary>
    public IReadOnlyCollection<ActorKey> ActorKeys => _actorKeys;

    /// <summary>The incident this alert belongs to; set when incidents are formed.</summary>
    public string? Incident { get; internal set; }

    internal void Merge(in Finding finding)
    {
        if (finding.Evidence.Time > LastSeen)
        {
            LastSeen = finding.Evidence.Time;
        }

        if (finding.Severity >= Severity)
        {
            Severity = finding.Severity;
            Reason = finding.Reason;
            Details = finding.Details ?? Details;
        }

        if (finding.Confidence > Confidence)
        {
            Confidence = finding.Confidence;
        }

        AddEvidence(finding);
    }

    internal void AddEvidence(in Finding finding)
    {
        EvidenceCount++;
        if (_evidenceIds.Count < MaxEvidenceIds)
        {
            string id = finding.Evidence.RecordId;
            if (_evidenceIds.Count == 0 || !ReferenceEquals(_evidenceIds[^1], id))
            {
                _evidenceIds.Add(id);
            }
        }

        if (_actorKeys.Count >= MaxActorKeys)
        {
            return;
        }

        Events.AuditEvent e = finding.Evidence;
        if ((finding.Actor & ActorScope.Session) != 0)
        {
            AddKey(ActorKind.Session, e.AadSessionId);
            AddKey(ActorKind.Session, e.SessionId);
        }

        if ((finding.Actor & ActorScope.Token) != 0)
        {
            AddKey(ActorKind.Token, e.UniqueTokenId);
        }

        if ((finding.Actor & ActorScope.Ip) != 0)
        {
            AddKey(ActorKind.Ip, e.ClientAddress);
        }

        AddKey(ActorKind.App, finding.ActorApp);
    }

    private void AddKey(ActorKind kind, string? value)
    {
        if (!string.IsNullOrEmpty(value) && _actorKeys.Count < MaxActorKeys)
        {
            _actorKeys.Add(new ActorKey(kind, value));
        }
    }
}
