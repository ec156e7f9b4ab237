using Forgewatch.Core.Events;
using Forgewatch.Server.Tenants;
using Microsoft.Data.Sqlite;

namespace Forgewatch.Server.Storage;

/// <summary>
/// The embedded store: one SQLite database (<c>forgewatch.db</c>) in the data folder, in WAL mode with
/// <c>synchronous=FULL</c>, so a committed transaction is on disk before the call returns. SQLite takes one
/// writer at a time, so every call goes through one connection under a lock; a batch is one transaction.
/// Events are kept whole (<see cref="EventBytes"/>) beside the columns queries need.
/// </summary>
public sealed class SqliteStore : IServerStore
{
    public const string FileName = "forgewatch.db";

    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    private SqliteStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating if needed) the database in <paramref name="dataDirectory"/>.</summary>
    public static SqliteStore Open(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = false,
        };
        var connection = new SqliteConnection(builder.ConnectionString);
        connection.Open();
        try
        {
            Execute(connection, SqliteSchema.Pragmas);
            Execute(connection, SqliteSchema.Tables);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return new SqliteStore(connection);
    }

    public bool AddTenant(Tenant tenant, string keyHash)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        lock (_lock)
        {
            using SqliteTransaction transaction = _connection.BeginTransaction();
            using (SqliteCommand exists = Command("SELECT 1 FROM tenants WHERE id = $id", transaction))
            {
                exists.Parameters.AddWithValue("$id", tenant.Id);
                if (exists.ExecuteScalar() is not null)
                {
                    return false;
                }
            }

            using (SqliteCommand insert = Command("INSERT INTO tenants (id, key_hash, webhook, created) VALUES ($id, $key, $webhook, $created)", transaction))
            {
                insert.Parameters.AddWithValue("$id", tenant.Id);
                insert.Parameters.AddWithValue("$key", keyHash);
                insert.Parameters.AddWithValue("$webhook", (object?)tenant.Webhook?.AbsoluteUri ?? DBNull.Value);
                insert.Parameters.AddWithValue("$created", tenant.Created.UtcTicks);
                insert.ExecuteNonQuery();
            }

            foreach (string admin in tenant.Admins)
            {
                using SqliteCommand insert = Command("INSERT OR IGNORE INTO tenant_admins (tenant, email) VALUES ($tenant, $email)", transaction);
                insert.Parameters.AddWithValue("$tenant", tenant.Id);
                insert.Parameters.AddWithValue("$email", admin);
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
            return true;
        }
    }

    public IReadOnlyList<Tenant> ListTenants()
    {
        lock (_lock)
        {
            var admins = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            using (SqliteCommand select = Command("SELECT tenant, email FROM tenant_admins ORDER BY tenant, email", null))
            using (SqliteDataReader reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    string tenant = reader.GetString(0);
                    if (!admins.TryGetValue(tenant, out List<string>? list))
                    {
                        admins[tenant] = list = [];
                    }

                    list.Add(reader.GetString(1));
                }
            }

            var tenants = new List<Tenant>();
            using (SqliteCommand select = Command("SELECT id, webhook, created FROM tenants ORDER BY id", null))
            using (SqliteDataReader reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    string id = reader.GetString(0);
                    Uri? webhook = reader.IsDBNull(1) ? null : new Uri(reader.GetString(1));
                    var created = new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero);
                    tenants.Add(new Tenant(id, admins.GetValueOrDefault(id) ?? [], webhook, created));
                }
            }

            return tenants;
        }
    }

    public bool RemoveTenant(string id)
    {
        lock (_lock)
        {
            // Foreign keys cascade to the tenant's admins, batches and events.
            using SqliteCommand delete = Command("DELETE FROM tenants WHERE id = $id", null);
            delete.Parameters.AddWithValue("$id", id);
            return delete.ExecuteNonQuery() > 0;
        }
    }

    public string? TenantForKey(string keyHash)
    {
        lock (_lock)
        {
            using SqliteCommand select = Command("SELECT id FROM tenants WHERE key_hash = $key", null);
            select.Parameters.AddWithValue("$key", keyHash);
            return select.ExecuteScalar() as string;
        }
    }

    public StoredBatch StoreEvents(string tenant, IReadOnlyList<AuditEvent> events, DateTimeOffset received)
    {
        ArgumentNullException.ThrowIfNull(events);
        byte[][] encoded = [.. events.Select(EventBytes.Encode)];
        lock (_lock)
        {
            using SqliteTransaction transaction = _connection.BeginTransaction();
            long batchId;
            using (SqliteCommand insert = Command("INSERT INTO batches (tenant, received, events) VALUES ($tenant, $received, $events) RETURNING id", transaction))
            {
                insert.Parameters.AddWithValue("$tenant", tenant);
                insert.Parameters.AddWithValue("$received", received.UtcTicks);
                insert.Parameters.AddWithValue("$events", events.Count);
                batchId = (long)insert.ExecuteScalar()!;
            }

            int stored = 0;
            using (SqliteCommand insert = Command(
                "INSERT OR IGNORE INTO events (tenant, record_id, batch, time, kind, operation, user_id, app_id, client_ip, data) "
                + "VALUES ($tenant, $record, $batch, $time, $kind, $operation, $user, $app, $ip, $data)",
                transaction))
            {
                SqliteParameter record = insert.Parameters.Add("$record", SqliteType.Text);
                SqliteParameter time = insert.Parameters.Add("$time", SqliteType.Integer);
                SqliteParameter kind = insert.Parameters.Add("$kind", SqliteType.Text);
                SqliteParameter operation = insert.Parameters.Add("$operation", SqliteType.Text);
                SqliteParameter user = insert.Parameters.Add("$user", SqliteType.Text);
                SqliteParameter app = insert.Parameters.Add("$app", SqliteType.Text);
                SqliteParameter ip = insert.Parameters.Add("$ip", SqliteType.Text);
                SqliteParameter data = insert.Parameters.Add("$data", SqliteType.Blob);
                insert.Parameters.AddWithValue("$tenant", tenant);
                insert.Parameters.AddWithValue("$batch", batchId);
                insert.Prepare();
                for (int i = 0; i < events.Count; i++)
                {
                    AuditEvent e = events[i];
                    record.Value = e.RecordId;
                    time.Value = e.Time.Ticks;
                    kind.Value = e.Kind.ToString();
                    operation.Value = e.Operation;
                    user.Value = (object?)e.UserId ?? DBNull.Value;
                    app.Value = (object?)e.AppId ?? DBNull.Value;
                    ip.Value = (object?)e.ClientIp?.ToString() ?? DBNull.Value;
                    data.Value = encoded[i];
                    stored += insert.ExecuteNonQuery();
                }
            }

            using (SqliteCommand update = Command("UPDATE batches SET stored = $stored WHERE id = $id", transaction))
            {
                update.Parameters.AddWithValue("$stored", stored);
                update.Parameters.AddWithValue("$id", batchId);
                update.ExecuteNonQuery();
            }

            transaction.Commit();
            return new StoredBatch(batchId, stored, events.Count - stored);
        }
    }

    public long CountEvents(string tenant)
    {
        lock (_lock)
        {
            using SqliteCommand count = Command("SELECT count(*) FROM events WHERE tenant = $tenant", null);
            count.Parameters.AddWithValue("$tenant", tenant);
            return (long)count.ExecuteScalar()!;
        }
    }

    /// <summary>The stored events of a tenant in event time order (for replay and tests).</summary>
    public IReadOnlyList<AuditEvent> ReadEvents(string tenant)
    {
        lock (_lock)
        {
            using SqliteCommand select = Command("SELECT data FROM events WHERE tenant = $tenant ORDER BY time, record_id", null);
            select.Parameters.AddWithValue("$tenant", tenant);
            using SqliteDataReader reader = select.ExecuteReader();
            var events = new List<AuditEvent>();
            while (reader.Read())
            {
                events.Add(EventBytes.Decode((byte[])reader.GetValue(0)));
            }

            return events;
        }
    }

    public void Dispose() => _connection.Dispose();

    private SqliteCommand Command(string sql, SqliteTransaction? transaction)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
