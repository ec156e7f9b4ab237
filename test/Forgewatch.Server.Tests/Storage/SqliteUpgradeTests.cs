using Forgewatch.Core.Events;
using Forgewatch.Server.Storage;
using Forgewatch.Server.Tenants;
using Microsoft.Data.Sqlite;

namespace Forgewatch.Server.Tests.Storage;

/// <summary>A database made by an earlier version opens with everything in it.</summary>
public class SqliteUpgradeTests
{
    [Fact]
    public void EventsOrderedByRecordId_MovedOnce_AllThere_StillDeduplicated()
    {
        string folder = Path.Combine(Path.GetTempPath(), "forgewatch-store-tests", Guid.NewGuid().ToString("N"));
        IReadOnlyList<AuditEvent> events = ServerStoreTests.ReadFixture();
        using (SqliteStore store = SqliteStore.Open(folder))
        {
            store.AddTenant(new Tenant("contoso", ["a@contoso.example"], null, DateTimeOffset.UtcNow), "hash-1");
            store.StoreEvents("contoso", events, DateTimeOffset.UtcNow);
        }

        // Back to the first events table, as the previous version made it.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, SqliteStore.FileName)};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = """
                ALTER TABLE events RENAME TO events_new;
                DROP INDEX events_by_time;
                DROP INDEX events_by_batch;
                CREATE TABLE events (
                    tenant TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE, record_id TEXT NOT NULL, batch INTEGER NOT NULL,
                    time INTEGER NOT NULL, kind TEXT NOT NULL, operation TEXT NOT NULL, user_id TEXT, app_id TEXT, client_ip TEXT,
                    data BLOB NOT NULL, PRIMARY KEY (tenant, record_id)) WITHOUT ROWID;
                CREATE INDEX events_by_time ON events (tenant, time);
                INSERT INTO events SELECT tenant, record_id, batch, time, kind, operation, user_id, app_id, client_ip, data FROM events_new;
                DROP TABLE events_new;
                """;
            command.ExecuteNonQuery();
        }

        using SqliteStore upgraded = SqliteStore.Open(folder);

        Assert.Equal(events.Count, upgraded.CountEvents("contoso"));
        Assert.Equal(events.OrderBy(e => e.Time).ThenBy(e => e.RecordId, StringComparer.Ordinal).Select(e => e.RecordId), upgraded.ReadEvents("contoso").Select(e => e.RecordId));
        Assert.Equal(events.Count, upgraded.ReadEventsAfter("contoso", DateTime.MaxValue, 0).Count);
        StoredBatch again = upgraded.StoreEvents("contoso", events, DateTimeOffset.UtcNow);
        Assert.Equal((0, events.Count), (again.Stored, again.Duplicates));
        using var check = new SqliteConnection($"Data Source={Path.Combine(folder, SqliteStore.FileName)};Mode=ReadOnly;Pooling=False");
        check.Open();
        using SqliteCommand sql = check.CreateCommand();
        sql.CommandText = "SELECT sql FROM sqlite_master WHERE name = 'events'";
        Assert.DoesNotContain("WITHOUT ROWID", (string)sql.ExecuteScalar()!, StringComparison.OrdinalIgnoreCase);
    }
}
