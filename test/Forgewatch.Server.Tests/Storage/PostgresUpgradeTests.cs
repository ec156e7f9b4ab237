using Forgewatch.Core.Events;
using Forgewatch.Server.Storage;
using Forgewatch.Server.Tenants;
using Npgsql;

namespace Forgewatch.Server.Tests.Storage;

/// <summary>A PostgreSQL database made by an earlier version opens with everything in it, its events moved to
/// the current table once.</summary>
public class PostgresUpgradeTests
{
    /// <summary>The first events table: the record id as text, and five columns no query used.</summary>
    private const string FirstEvents = """
        DROP TABLE events;
        CREATE TABLE events (
            tenant text COLLATE "C" NOT NULL REFERENCES tenants (id) ON DELETE CASCADE, record_id text COLLATE "C" NOT NULL,
            batch bigint NOT NULL, time bigint NOT NULL, kind text NOT NULL, operation text NOT NULL, user_id text, app_id text,
            client_ip text, data bytea NOT NULL, PRIMARY KEY (tenant, record_id));
        CREATE INDEX events_by_time ON events (tenant, time);
        CREATE INDEX events_by_batch ON events (tenant, batch);
        """;

    [Fact]
    public void FirstEventsTable_MovedOnce_AllThere_StillDeduplicated_NewBatchesRead()
    {
        using TestDatabase database = TestDatabase.Create(StoreKind.PostgreSQL);
        var checks = new UpgradeChecks();
        using (IServerStore store = database.Open())
        {
            store.AddTenant(new Tenant("contoso", ["a@contoso.example"], null, DateTimeOffset.UtcNow), "hash-1");
        }

        using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            connection.Open();
            Run(connection, FirstEvents);
            // The batches take ids 1 and 2 from the identity, as they did.
            WriteOldBatch(connection, 1, checks.First);
            WriteOldBatch(connection, 2, checks.Second);
        }

        using IServerStore upgraded = database.Open();

        checks.AssertMoved(upgraded);

        using var check = new NpgsqlConnection(database.ConnectionString);
        check.Open();
        using var tables = new NpgsqlCommand("SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE table_name LIKE 'events%'", check);
        Assert.Equal("events", tables.ExecuteScalar());
    }

    private static void WriteOldBatch(NpgsqlConnection connection, long batch, AuditEvent[] events)
    {
        Run(connection, $"INSERT INTO batches (tenant, received, events, stored) VALUES ('contoso', 0, {events.Length}, {events.Length})");
        foreach (AuditEvent e in events)
        {
            using var insert = new NpgsqlCommand(
                "INSERT INTO events (tenant, record_id, batch, time, kind, operation, user_id, app_id, client_ip, data) VALUES ('contoso', $1, $2, $3, $4, $5, NULL, NULL, NULL, $6)",
                connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = e.RecordId });
            insert.Parameters.Add(new NpgsqlParameter { Value = batch });
            insert.Parameters.Add(new NpgsqlParameter { Value = e.Time.Ticks });
            insert.Parameters.Add(new NpgsqlParameter { Value = e.Kind.ToString() });
            insert.Parameters.Add(new NpgsqlParameter { Value = e.Operation });
            insert.Parameters.Add(new NpgsqlParameter { Value = EventBytes.Encode(e) });
            insert.ExecuteNonQuery();
        }
    }

    private static void Run(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
