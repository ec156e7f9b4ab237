namespace Forgewatch.Core.Events;

/// <summary>
/// A change to a mailbox (inbox rules, forwarding, permissions, impersonation) or to the identity
/// directory (consent, app role assignments, credentials). Kept whole enough that a later detection can
/// read the parameters it cares about.
/// </summary>
public sealed class AdminOperationEvent : AuditEvent
{
    public AdminOperationEvent(in EventHeader header)
        : base(header)
    {
    }

    public override EventKind Kind => Area == AdminArea.Mailbox ? EventKind.MailboxAdmin : EventKind.IdentityAdmin;

    public required AdminArea Area { get; init; }

    /// <summary>The object acted on (UAL <c>ObjectId</c>), e.g. a mailbox or a rule name.</summary>
    public string? ObjectId { get; init; }

    /// <summary>Mailbox owner for item-level operations such as <c>UpdateInboxRules</c>.</summary>
    public string? MailboxOwner { get; init; }

    /// <summary>Cmdlet parameters (Exchange) or extended properties (Entra), in logged order.</summary>
    public IReadOnlyList<NamedValue> Parameters { get; init; } = [];

    /// <summary>Entra <c>ModifiedProperties</c>: name, old and new value.</summary>
    public IReadOnlyList<ModifiedProperty> ModifiedProperties { get; init; } = [];

    /// <summary>Entra <c>Target[].ID</c> values: the objects the operation touched.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];
}

/// <summary>Which directory an admin operation changed.</summary>
public enum AdminArea
{
    Mailbox,
    Identity,
}

/// <summary>A logged name/value pair.</summary>
public sealed record NamedValue(string Name, string? Value);

/// <summary>An Entra modified property.</summary>
public sealed record ModifiedProperty(string Name, string? OldValue, string? NewValue);
