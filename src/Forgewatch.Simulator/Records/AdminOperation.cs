namespace Forgewatch.Simulator.Records;

/// <summary>
/// A unified audit log record of a change: an Exchange cmdlet (RecordType 1: <c>New-InboxRule</c>,
/// <c>New-ManagementRoleAssignment</c>...) or an Entra directory change (RecordType 8: <c>Consent to
/// application.</c>, <c>Add app role assignment to service principal.</c>).
/// </summary>
internal sealed record AdminOperation
{
    public required DateTime Time { get; init; }

    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required string TenantDomain { get; init; }

    public required string Operation { get; init; }

    /// <summary>1 (Exchange admin) or 8 (Azure Active Directory).</summary>
    public required int RecordType { get; init; }

    public required string UserId { get; init; }

    public required string UserKey { get; init; }

    public required string ClientIp { get; init; }

    public required string ObjectId { get; init; }

    /// <summary>Exchange cmdlet parameters (name, value).</summary>
    public IReadOnlyList<(string Name, string Value)> Parameters { get; init; } = [];

    /// <summary>Entra modified properties (name, new value).</summary>
    public IReadOnlyList<(string Name, string NewValue)> ModifiedProperties { get; init; } = [];

    /// <summary>Entra targets (id, type).</summary>
    public IReadOnlyList<(string Id, int Type)> Targets { get; init; } = [];

    /// <summary>The session and token of whoever made the change, for Exchange changes made from a mail client.</summary>
    public string? SessionId { get; init; }

    public string? TokenId { get; init; }

    public string? AppId { get; init; }
}
