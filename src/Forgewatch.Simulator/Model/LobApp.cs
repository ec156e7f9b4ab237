namespace Forgewatch.Simulator.Model;

/// <summary>
/// A line-of-business application with app-only mail access (an archiver, a CRM connector): it reads
/// many mailboxes every night, legitimately, from the same addresses, from the first day of the logs.
/// </summary>
internal sealed record LobApp(string AppId, string ServicePrincipalId, string Name, string Address, IReadOnlyList<SimUser> Reads, int Hour);
