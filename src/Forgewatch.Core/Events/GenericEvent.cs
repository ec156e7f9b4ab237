namespace Forgewatch.Core.Events;

/// <summary>Any other audit record, kept with its operation so that summaries and coverage count it.</summary>
public sealed class GenericEvent : AuditEvent
{
    public GenericEvent(in EventHeader header)
        : base(header)
    {
    }

    public override EventKind Kind => EventKind.Generic;

    /// <summary>UAL <c>ObjectId</c>, when present.</summary>
    public string? ObjectId { get; init; }
}
