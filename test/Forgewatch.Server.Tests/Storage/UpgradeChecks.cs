using Forgewatch.Core.Events;
using Forgewatch.Server.Storage;

namespace Forgewatch.Server.Tests.Storage;

/// <summary>
/// The records an upgrade test puts in an earlier version's events table (two batches: the fixture's first and
/// second thirds) and what the upgraded store must then give: both batches' events, read back as new ones are,
/// still deduplicated, and the last third stored as a new batch after them.
/// </summary>
internal sealed class UpgradeChecks
{
    public UpgradeChecks()
    {
        All = ServerStoreTests.ReadFixture();
        int third = All.Count / 3;
        First = [.. All.Take(third)];
        Second = [.. All.Skip(third).Take(third)];
        Rest = [.. All.Skip(2 * third)];
    }

    public IReadOnlyList<AuditEvent> All { get; }

    /// <summary>The old table's batch 1.</summary>
    public AuditEvent[] First { get; }

    /// <summary>The old table's batch 2.</summary>
    public AuditEvent[] Second { get; }

    /// <summary>Stored after the upgrade.</summary>
    public AuditEvent[] Rest { get; }

    public void AssertMoved(IServerStore upgraded)
    {
        Assert.Equal(First.Length + Second.Length, upgraded.CountEvents("contoso"));
        Assert.Equal(First.Concat(Second).OrderBy(e => e.Time).ThenBy(e => e.RecordId, StringComparer.Ordinal).Select(e => e.RecordId), upgraded.ReadEvents("contoso").Select(e => e.RecordId));
        Assert.Equal(Second.Length, upgraded.ReadEventsAfter("contoso", DateTime.MaxValue, 1).Count);
        Assert.Equal(Ids(Second), Ids(upgraded.ReadNewEvents("contoso", 1, 1_000_000).Select(e => e.Event)));

        StoredBatch again = upgraded.StoreEvents("contoso", All, DateTimeOffset.UtcNow);
        Assert.Equal((Rest.Length, First.Length + Second.Length), (again.Stored, again.Duplicates));
        Assert.Equal(Ids(Rest), Ids(upgraded.ReadNewEvents("contoso", 2, 1_000_000).Select(e => e.Event)));
        Assert.Equal(Second.Length + Rest.Length, upgraded.ReadEventsAfter("contoso", DateTime.MaxValue, 1).Count);
    }

    private static string[] Ids(IEnumerable<AuditEvent> events) => [.. events.Select(e => e.RecordId).Order(StringComparer.Ordinal)];
}
