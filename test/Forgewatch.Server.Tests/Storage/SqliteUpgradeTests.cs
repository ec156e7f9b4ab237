using Forgewatch.Core.Events;
using Forgewatch.Server.Storage;
using Forgewatch.Server.Tenants;
using Microsoft.Data.Sqlite;

namespace Forgewatch.Server.Tests.Storage;

/// <summary>A database made by an earlier version opens with everything in it, its events moved to the
/// current table once.</summary>
public class SqliteUpgradeTests
{
    /// <summary>The first events table: ordered by record id.</summary>
    private const string FirstEvents = """
        CREATE TABLE events (
            tenant TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE, record_id TEXT NOT NULL, batch INTEGER NOT NULL,
            time INTEGER NOT NULL, kind TEXT NOT NULL, operation TEXT NOT NULL, user_id TEXT, app_id TEXT, client_ip TEXT,
            data BLOB NOT NULL, PRIMARY KEY (tenant, record_id)) WITHOUT ROWID;
        CREATE INDEX events_by_time ON events (tenant, time);
        """;

    /// <summary>The second: in commit order, the record id as text, indexed by batch too.</summary>
    private const string SecondEvents = """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY, tenant TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE, record_id TEXT NOT NULL,
            batch INTEGER NOT NULL, time INTEGER NOT NULL, kind TEXT NOT NULL, operation TEXT NOT NULL, user_id TEXT, app_id TEXT,
            client_ip TEXT, data BLOB NOT NULL, UNIQUE (tenant, record_id));
        CREATE INDEX events_by_time ON events (tenant, time);
        CREATE INDEX events_by_batch ON events (tenant, batch);
        """;

    [Theory]
    [InlineData(FirstEvents)]
    [InlineData(SecondEvents)]
    public void OldEventsTable_MovedOnce_AllThere_StillDeduplicated_NewBatchesRead(string oldTable)
    {
        string folder = Path.Combine(Path.GetTempPath(), "forgewatch-store-tests", Guid.NewGuid().ToString("N"));
        var checks = new UpgradeChecks();
        using (SqliteStore store = SqliteStore.Open(folder))
        {
            store.AddTenant(new Tenant("contoso", ["a@contoso.example"], null, DateTimeOffset.UtcNow), "hash-1");
        }

        // The events table as the earlier version made it, with two batches in it.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, SqliteStore.FileName)};Pooling=False"))
        {
            connection.Open();
            Run(connection, "DROP TABLE events; ALTER TABLE batches DROP COLUMN first_event; ALTER TABLE batches DROP COLUMN last_event;" + oldTable);
            WriteOldBatch(connection, 1, checks.First);
            WriteOldBatch(connection, 2, checks.Second);
        }

        using SqliteStore upgraded = SqliteStore.Open(folder);

        checks.AssertMoved(upgraded);

        using var check = new SqliteConnection($"Data Source={Path.Combine(folder, SqliteStore.FileName)};Mode=ReadOnly;Pooling=False");
        check.Open();
        using SqliteCommand sql = check.CreateCommand();
        sql.CommandText = "SELECT group_concat(name) FROM sqlite_master WHERE tbl_name LIKE 'events%'";
        Assert.Equal("events,sqlite_autoindex_events_1,events_by_time", (string)sql.ExecuteScalar()!);
    }

    private static void WriteOldBatch(SqliteConnection connection, long batch, AuditEvent[] events)
    {
        Run(connection, $"INSERT INTO batches (id, tenant, received, events, stored) VALUES ({batch}, 'contoso', 0, {events.Length}, {events.Length})");
        using SqliteCommand insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO events (tenant, record_id, batch, time, kind, operation, user_id, app_id, client_ip, data) "
            + "VALUES ('contoso', $record, $batch, $time, $kind, $operation, NULL, NULL, NULL, $data)";
        foreach (AuditEvent e in events)
        {
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$record", e.RecordId);
            insert.Parameters.AddWithValue("$batch", batch);
            insert.Parameters.AddWithValue("$time", e.Time.Ticks);
            insert.Parameters.AddWithValue("$kind", e.Kind.ToString());
            insert.Parameters.AddWithValue("$operation", e.Operation);
            insert.Parameters.AddWithValue("$data", EventBytes.Encode(e));
            insert.ExecuteNonQuery();
        }
    }

    private static void Run(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
