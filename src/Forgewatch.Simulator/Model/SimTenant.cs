namespace Forgewatch.Simulator.Model;

/// <summary>A simulated Microsoft 365 tenant: its people, shared mailboxes and applications.</summary>
internal sealed class SimTenant
{
    public required string Id { get; init; }

    public required string Domain { get; init; }

    public required string SidPrefix { get; init; }

    public required IReadOnlyList<SimUser> Users { get; init; }

    /// <summary>Shared mailboxes (no sign-ins of their own), each read by its delegates.</summary>
    public required IReadOnlyList<Mailbox> SharedMailboxes { get; init; }

    public required LobApp? LobApp { get; init; }

    /// <summary>Every mailbox: the users' then the shared ones.</summary>
    public IEnumerable<Mailbox> Mailboxes => Users.Select(u => u.Mailbox).Concat(SharedMailboxes);
}
