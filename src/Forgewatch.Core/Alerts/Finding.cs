using Forgewatch.Core.Events;

namespace Forgewatch.Core.Alerts;

/// <summary>
/// What a detection raises for one event. Findings with the same detection, tenant and
/// <see cref="Group"/> close together in time become one <see cref="Alert"/> (see <see cref="AlertCollector"/>).
/// </summary>
public readonly record struct Finding
{
    /// <summary>The event that is evidence for the finding.</summary>
    public required AuditEvent Evidence { get; init; }

    /// <summary>The tenant the event belongs to (resolved, never null).</summary>
    public required string Tenant { get; init; }

    /// <summary>What findings of this detection are merged by, e.g. mailbox and application.</summary>
    public required string Group { get; init; }

    public required Severity Severity { get; init; }

    public required Confidence Confidence { get; init; }

    /// <summary>One plain sentence saying what was seen, for people.</summary>
    public required string Reason { get; init; }

    /// <summary>The mailbox concerned, when there is one.</summary>
    public string? Mailbox { get; init; }

    /// <summary>Which of the event's identifiers name the actor (see <see cref="ActorKey"/>).</summary>
    public ActorScope Actor { get; init; }

    /// <summary>An application that names the actor (one not on the allowlist), or null.</summary>
    public string? ActorApp { get; init; }

    /// <summary>Detection-specific facts (thresholds crossed, indicator matched...), written with the alert.</summary>
    public IReadOnlyDictionary<string, string>? Details { get; init; }
}

/// <summary>Which identifiers of an evidence event name the actor.</summary>
[Flags]
public enum ActorScope
{
    None = 0,
    Session = 1,
    Token = 2,
    Ip = 4,
    /// <summary>Session, token and address: the usual choice.</summary>
    Client = Session | Token | Ip,
}
