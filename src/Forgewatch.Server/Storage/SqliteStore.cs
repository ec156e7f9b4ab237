using Forgewatch.Core.Alerts;
using Forgewatch.Core.Events;
using Forgewatch.Server.Incidents;
using Forgewatch.Server.Notifications;
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

    /// <summary>A second connection for reading events back (WAL lets it read beside the writer), so that a
    /// replay decoding thousands of events never holds up a batch being stored.</summary>
    private readonly SqliteConnection _reader;
    private readonly Lock _readLock = new();

    private readonly SqliteCheckpointer _checkpointer;

    /// <summary>A third connection for the small lookups every request and detection run makes (the tenant of a
    /// key, the count of indicator files, the batches committed since the last run), so that they wait neither
    /// for the writer's transaction nor for a replay's or a history read's pages.</summary>
    private readonly SqliteConnection _lookup;
    private readonly Lock _lookupLock = new();

    /// <summary>Batches waiting for the writer: whichever caller gets the writer next stores all of them in one
    /// transaction (see <see cref="StoreEvents"/>).</summary>
    private readonly List<PendingBatch> _pending = [];
    private readonly Lock _pendingLock = new();

    private SqliteStore(SqliteConnection connection, SqliteConnection reader, SqliteConnection lookup, SqliteCheckpointer checkpointer)
    {
        _connection = connection;
        _reader = reader;
        _lookup = lookup;
        _checkpointer = checkpointer;
    }

    /// <summary>The background checkpoints; for tests.</summary>
    internal SqliteCheckpointer Checkpointer => _checkpointer;

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
        SqliteConnection? reader = null;
        SqliteConnection? lookup = null;
        try
        {
            connection.Open();
            Execute(connection, SqliteSchema.Pragmas);
            Execute(connection, SqliteSchema.WriterCheckpoints);
            using (SqliteTransaction upgrade = connection.BeginTransaction())
            {
                bool oldEvents = HasOldEvents(connection, upgrade);
                if (oldEvents)
                {
                    Execute(connection, SqliteSchema.SetOldEventsAside, upgrade);
                }

                Execute(connection, SqliteSchema.Tables, upgrade);
                AddMissingColumns(connection, upgrade);
                if (oldEvents)
                {
                    MoveOldEvents(connection, upgrade);
                    Execute(connection, SqliteSchema.DropOldEvents, upgrade);
                }

                upgrade.Commit();
            }

            reader = new SqliteConnection(builder.ConnectionString);
            reader.Open();
            Execute(reader, SqliteSchema.Pragmas);
            Execute(reader, SqliteSchema.ReaderCache);
            lookup = new SqliteConnection(builder.ConnectionString);
            lookup.Open();
            Execute(lookup, SqliteSchema.Pragmas);
            return new SqliteStore(connection, reader, lookup, new SqliteCheckpointer(builder.ConnectionString));
        }
        catch
        {
            lookup?.Dispose();
            reader?.Dispose();
            connection.Dispose();
            throw;
        }
    }

    public bool AddTenant(Tenant tenant, string keyHash, string? webhookSecret = null)
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

            using (SqliteCommand insert = Command("INSERT INTO tenants (id, key_hash, webhook, webhook_secret, webhook_format, created) VALUES ($id, $key, $webhook, $secret, $format, $created)", transaction))
            {
                insert.Parameters.AddWithValue("$format", tenant.WebhookFormat);
                insert.Parameters.AddWithValue("$id", tenant.Id);
                insert.Parameters.AddWithValue("$key", keyHash);
                insert.Parameters.AddWithValue("$webhook", (object?)tenant.Webhook?.AbsoluteUri ?? DBNull.Value);
                insert.Parameters.AddWithValue("$secret", (object?)webhookSecret ?? DBNull.Value);
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
            using (SqliteCommand select = Command("SELECT id, webhook, created, webhook_format FROM tenants ORDER BY id", null))
            using (SqliteDataReader reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    string id = reader.GetString(0);
                    Uri? webhook = reader.IsDBNull(1) ? null : new Uri(reader.GetString(1));
                    var created = new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero);
                    tenants.Add(new Tenant(id, admins.GetValueOrDefault(id) ?? [], webhook, created, reader.GetString(3)));
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
        lock (_lookupLock)
        {
            using SqliteCommand select = NewCommand(_lookup, "SELECT id FROM tenants WHERE key_hash = $key");
            select.Parameters.AddWithValue("$key", keyHash);
            return select.ExecuteScalar() as string;
        }
    }

    public int CountIndicatorFiles(string tenant)
    {
        lock (_lookupLock)
        {
            using SqliteCommand count = NewCommand(_lookup, "SELECT count(*) FROM indicator_files WHERE tenant = $tenant");
            count.Parameters.AddWithValue("$tenant", tenant);
            return (int)(long)count.ExecuteScalar()!;
        }
    }

    /// <summary>
    /// Stores the batch in one transaction with whatever other batches are waiting for the writer at that moment
    /// (group commit): the first caller to get the writer stores them all and commits once, and the others
    /// find theirs done. Each batch keeps its own id and row, and they all commit or none does, so a batch is
    /// still stored whole or not at all. One sync and one pass over the indexes' pages serve several batches.
    /// </summary>
    public StoredBatch StoreEvents(string tenant, IReadOnlyList<AuditEvent> events, DateTimeOffset received)
    {
        ArgumentNullException.ThrowIfNull(events);
        var mine = new PendingBatch(tenant, events, [.. events.Select(EventBytes.Encode)], [.. events.Select(RecordKeys.Of)], received);
        lock (_pendingLock)
        {
            _pending.Add(mine);
        }

        lock (_lock)
        {
            if (!mine.Done)
            {
                WriteWaitingBatches();
            }
        }

        mine.Fault?.Throw();
        return mine.Result;
    }

    /// <summary>Stores every waiting batch in one transaction; each learns its result or the failure.</summary>
    private void WriteWaitingBatches()
    {
        List<PendingBatch> group;
        lock (_pendingLock)
        {
            group = [.. _pending];
            _pending.Clear();
        }

        try
        {
            using SqliteTransaction transaction = _connection.BeginTransaction();
            foreach (PendingBatch batch in group)
            {
                batch.Result = WriteBatch(batch.Tenant, batch.Events, batch.Encoded, batch.Keys, batch.Received, transaction);
            }

            transaction.Commit();
        }
        catch (Exception e)
        {
            var fault = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            foreach (PendingBatch batch in group)
            {
                batch.Fault = fault;
            }
        }
        finally
        {
            foreach (PendingBatch batch in group)
            {
                batch.Done = true;
            }
        }

        _checkpointer.Committed();
        if (_checkpointer.NeedsRestart)
        {
            // Copies the few frames the background checkpoints have not, waits out readers still in the log, and
            // lets the next write start the log over (busy: tried again after a later commit).
            Execute(_connection, "PRAGMA wal_checkpoint(RESTART);");
            _checkpointer.Restarted();
        }
    }

    /// <summary>Inserts a batch row and its events (each record key once per tenant), and records the range of row
    /// ids they took: every write goes through the one connection and a new row takes the largest row id plus
    /// one, so a batch's rows are the ids right after the largest before it, and later batches' rows come after
    /// them.</summary>
    private StoredBatch WriteBatch(string tenant, IReadOnlyList<AuditEvent> events, byte[][] encoded, byte[][] keys, DateTimeOffset received, SqliteTransaction transaction)
    {
        long batchId;
        using (SqliteCommand insert = Command("INSERT INTO batches (tenant, received, events) VALUES ($tenant, $received, $events) RETURNING id", transaction))
        {
            insert.Parameters.AddWithValue("$tenant", tenant);
            insert.Parameters.AddWithValue("$received", received.UtcTicks);
            insert.Parameters.AddWithValue("$events", events.Count);
            batchId = (long)insert.ExecuteScalar()!;
        }

        long before = LastEventRow(transaction);
        int stored = 0;
        var fresh = new List<AuditEvent>(events.Count);
        using (SqliteCommand insert = Command("INSERT OR IGNORE INTO events (tenant, record_key, batch, time, data) VALUES ($tenant, $key, $batch, $time, $data)", transaction))
        {
            SqliteParameter key = insert.Parameters.Add("$key", SqliteType.Blob);
            SqliteParameter time = insert.Parameters.Add("$time", SqliteType.Integer);
            SqliteParameter data = insert.Parameters.Add("$data", SqliteType.Blob);
            insert.Parameters.AddWithValue("$tenant", tenant);
            insert.Parameters.AddWithValue("$batch", batchId);
            insert.Prepare();
            for (int i = 0; i < events.Count; i++)
            {
                key.Value = keys[i];
                time.Value = events[i].Time.Ticks;
                data.Value = encoded[i];
                if (insert.ExecuteNonQuery() == 1)
                {
                    stored++;
                    fresh.Add(events[i]);
                }
            }
        }

        using (SqliteCommand update = Command("UPDATE batches SET stored = $stored, first_event = $first, last_event = $last WHERE id = $id", transaction))
        {
            update.Parameters.AddWithValue("$stored", stored);
            update.Parameters.AddWithValue("$first", stored > 0 ? before + 1 : DBNull.Value);
            update.Parameters.AddWithValue("$last", stored > 0 ? before + stored : DBNull.Value);
            update.Parameters.AddWithValue("$id", batchId);
            update.ExecuteNonQuery();
        }

        return new StoredBatch(batchId, stored, events.Count - stored) { New = fresh };
    }

    /// <summary>A batch handed to the writer, and what became of it (set under the writer's lock).</summary>
    private sealed class PendingBatch(string tenant, IReadOnlyList<AuditEvent> events, byte[][] encoded, byte[][] keys, DateTimeOffset received)
    {
        public string Tenant { get; } = tenant;

        public IReadOnlyList<AuditEvent> Events { get; } = events;

        public byte[][] Encoded { get; } = encoded;

        public byte[][] Keys { get; } = keys;

        public DateTimeOffset Received { get; } = received;

        public bool Done { get; set; }

        public StoredBatch Result { get; set; }

        public System.Runtime.ExceptionServices.ExceptionDispatchInfo? Fault { get; set; }
    }

    private long LastEventRow(SqliteTransaction transaction)
    {
        using SqliteCommand select = Command("SELECT coalesce(max(id), 0) FROM events", transaction);
        return (long)select.ExecuteScalar()!;
    }

    public long CountEvents(string tenant)
    {
        lock (_readLock)
        {
            using SqliteCommand count = ReadCommand("SELECT count(*) FROM events WHERE tenant = $tenant");
            count.Parameters.AddWithValue("$tenant", tenant);
            return (long)count.ExecuteScalar()!;
        }
    }

    public IReadOnlyList<AuditEvent> ReadEvents(string tenant)
    {
        lock (_readLock)
        {
            using SqliteCommand select = ReadCommand("SELECT data FROM events WHERE tenant = $tenant ORDER BY time");
            select.Parameters.AddWithValue("$tenant", tenant);
            using SqliteDataReader reader = select.ExecuteReader();
            var events = new List<AuditEvent>();
            while (reader.Read())
            {
                events.Add(EventBytes.Decode((byte[])reader.GetValue(0)));
            }

            events.Sort(EventOrder.Compare);
            return events;
        }
    }

    public void AddIndicatorFile(string tenant, string name, byte[] content, DateTimeOffset now)
    {
        lock (_lock)
        {
            using SqliteCommand insert = Command("INSERT INTO indicator_files (tenant, name, content, added) VALUES ($tenant, $name, $content, $added)", null);
            insert.Parameters.AddWithValue("$tenant", tenant);
            insert.Parameters.AddWithValue("$name", name);
            insert.Parameters.AddWithValue("$content", content);
            insert.Parameters.AddWithValue("$added", now.UtcTicks);
            insert.ExecuteNonQuery();
        }
    }

    public IReadOnlyList<(string Name, byte[] Content)> IndicatorFiles(string tenant)
    {
        lock (_lock)
        {
            using SqliteCommand select = Command("SELECT name, content FROM indicator_files WHERE tenant = $tenant ORDER BY id", null);
            select.Parameters.AddWithValue("$tenant", tenant);
            using SqliteDataReader reader = select.ExecuteReader();
            var files = new List<(string, byte[])>();
            while (reader.Read())
            {
                files.Add((reader.GetString(0), (byte[])reader.GetValue(1)));
            }

            return files;
        }
    }

    public (string Secret, string Format)? WebhookSettings(string tenant)
    {
        lock (_lock)
        {
            using SqliteCommand select = Command("SELECT webhook_secret, webhook_format FROM tenants WHERE id = $id AND webhook IS NOT NULL AND webhook_secret IS NOT NULL", null);
            select.Parameters.AddWithValue("$id", tenant);
            using SqliteDataReader reader = select.ExecuteReader();
            return reader.Read() ? (reader.GetString(0), reader.GetString(1)) : null;
        }
    }

    public void SaveIncidents(string tenant, IReadOnlyList<StoredIncident> incidents, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        lock (_lock)
        {
            using SqliteTransaction transaction = _connection.BeginTransaction();
            using (SqliteCommand mark = Command("UPDATE incidents SET updated = -1 WHERE tenant = $tenant", transaction))
            {
                mark.Parameters.AddWithValue("$tenant", tenant);
                mark.ExecuteNonQuery();
            }

            foreach (StoredIncident incident in incidents)
            {
                using SqliteCommand upsert = Command(
                    "INSERT INTO incidents (tenant, id, severity, first_seen, last_seen, json, first_found, updated, final) VALUES ($tenant, $id, $severity, $first, $last, $json, $now, $now, $final) "
                    + "ON CONFLICT (tenant, id) DO UPDATE SET severity = excluded.severity, first_seen = excluded.first_seen, last_seen = excluded.last_seen, json = excluded.json, updated = excluded.updated, final = excluded.final",
                    transaction);
                upsert.Parameters.AddWithValue("$tenant", tenant);
                upsert.Parameters.AddWithValue("$id", incident.Id);
                upsert.Parameters.AddWithValue("$severity", (int)incident.Severity);
                upsert.Parameters.AddWithValue("$first", incident.FirstSeen.Ticks);
                upsert.Parameters.AddWithValue("$last", incident.LastSeen.Ticks);
                upsert.Parameters.AddWithValue("$json", incident.Json);
                upsert.Parameters.AddWithValue("$now", now.UtcTicks);
                upsert.Parameters.AddWithValue("$final", incident.Final ? 1 : 0);
                upsert.ExecuteNonQuery();
            }

            using (SqliteCommand delete = Command("DELETE FROM incidents WHERE tenant = $tenant AND updated = -1", transaction))
            {
                delete.Parameters.AddWithValue("$tenant", tenant);
                delete.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        _checkpointer.Committed();
    }

    public int NotifySettled(DateTimeOffset now, TimeSpan settle, bool email, Func<IncidentChange, StoredIncident, string> payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        lock (_lock)
        {
            using SqliteTransaction transaction = _connection.BeginTransaction();
            var settled = new List<(StoredIncident Incident, Severity Notified)>();
            using (SqliteCommand select = Command(
                "SELECT tenant, " + IncidentRows.Columns + ", notified_severity FROM incidents WHERE (final = 1 OR first_found <= $settled) AND severity > notified_severity ORDER BY first_found, tenant, id",
                transaction))
            {
                select.Parameters.AddWithValue("$settled", (now - settle).UtcTicks);
                using SqliteDataReader reader = select.ExecuteReader();
                while (reader.Read())
                {
                    settled.Add((
                        IncidentRows.Read(reader, reader.GetString(0), 1),
                        (Severity)reader.GetInt32(7)));
                }
            }

            foreach ((StoredIncident incident, Severity notified) in settled)
            {
                var change = new IncidentChange(incident.Id, notified == 0 ? IncidentChangeKind.New : IncidentChangeKind.SeverityRaised, incident.Severity);
                string body = payload(change, incident);
                (string? webhook, List<string> admins) = Routes(incident.Tenant, transaction);
                if (webhook is not null)
                {
                    Enqueue(incident.Tenant, incident.Id, NotificationChannels.Webhook, webhook, body, now, transaction);
                }

                if (email)
                {
                    foreach (string admin in admins)
                    {
                        Enqueue(incident.Tenant, incident.Id, NotificationChannels.Email, admin, body, now, transaction);
                    }
                }

                using SqliteCommand update = Command("UPDATE incidents SET notified_severity = $severity WHERE tenant = $tenant AND id = $id", transaction);
                update.Parameters.AddWithValue("$severity", (int)incident.Severity);
                update.Parameters.AddWithValue("$tenant", incident.Tenant);
                update.Parameters.AddWithValue("$id", incident.Id);
                update.ExecuteNonQuery();
            }

            transaction.Commit();
            return settled.Count;
        }
    }

    public IReadOnlyList<StoredIncident> ListIncidents(string tenant, DateTime? since, DateTime? until, Severity? minimum)
    {
        lock (_lock)
        {
            using SqliteCommand select = Command(
                "SELECT " + IncidentRows.Columns + " FROM incidents WHERE tenant = $tenant AND last_seen >= $since AND first_seen < $until AND severity >= $minimum "
                + "ORDER BY severity DESC, last_seen DESC, id",
                null);
            select.Parameters.AddWithValue("$tenant", tenant);
            select.Parameters.AddWithValue("$since", (since ?? DateTime.MinValue).Ticks);
            select.Parameters.AddWithValue("$until", (until ?? DateTime.MaxValue).Ticks);
            select.Parameters.AddWithValue("$minimum", (int)(minimum ?? Severity.Low));
            return ReadIncidents(tenant, select);
        }
    }

    public StoredIncident? GetIncident(string tenant, string id)
    {
        lock (_lock)
        {
            using SqliteCommand select = Command("SELECT " + IncidentRows.Columns + " FROM incidents WHERE tenant = $tenant AND id = $id", null);
            select.Parameters.AddWithValue("$tenant", tenant);
            select.Parameters.AddWithValue("$id", id);
            return ReadIncidents(tenant, select).SingleOrDefault();
        }
    }

    public IReadOnlyList<Notification> DueNotifications(DateTimeOffset now, int limit)
    {
        lock (_lock)
        {
            using SqliteCommand select = Command(
                "SELECT id, tenant, incident, channel, target, payload, attempts FROM outbox WHERE delivered IS NULL AND next_attempt <= $now ORDER BY id LIMIT $limit",
                null);
            select.Parameters.AddWithValue("$now", now.UtcTicks);
            select.Parameters.AddWithValue("$limit", limit);
            using SqliteDataReader reader = select.ExecuteReader();
            var due = new List<Notification>();
            while (reader.Read())
            {
                due.Add(new Notification(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetInt32(6)));
            }

            return due;
        }
    }

    public long PendingNotifications()
    {
        lock (_lock)
        {
            using SqliteCommand count = Command("SELECT count(*) FROM outbox WHERE delivered IS NULL", null);
            return (long)count.ExecuteScalar()!;
        }
    }

    public void MarkDelivered(long id, DateTimeOffset at)
    {
        lock (_lock)
        {
            using SqliteCommand update = Command("UPDATE outbox SET delivered = $at, attempts = attempts + 1 WHERE id = $id", null);
            update.Parameters.AddWithValue("$at", at.UtcTicks);
            update.Parameters.AddWithValue("$id", id);
            update.ExecuteNonQuery();
        }
    }

    public void Reschedule(long id, DateTimeOffset retryAt, string failure)
    {
        lock (_lock)
        {
            using SqliteCommand update = Command("UPDATE outbox SET attempts = attempts + 1, next_attempt = $next, last_error = $error WHERE id = $id", null);
            update.Parameters.AddWithValue("$next", retryAt.UtcTicks);
            update.Parameters.AddWithValue("$error", failure.Length <= 500 ? failure : failure[..500]);
            update.Parameters.AddWithValue("$id", id);
            update.ExecuteNonQuery();
        }
    }

    public IReadOnlyList<StoredEvent> ReadEventsAfter(string tenant, DateTime from, long afterBatch)
    {
        lock (_readLock)
        {
            using SqliteCommand select = ReadCommand(
                // Two searches: by time, and the rows of the later batches (SQLite does not split the OR itself).
                "SELECT batch, data FROM events WHERE tenant = $tenant AND time >= $from "
                + "UNION ALL SELECT batch, data FROM events WHERE id >= (SELECT min(first_event) FROM batches WHERE tenant = $tenant AND id > $batch) "
                + "AND tenant = $tenant AND batch > $batch AND time < $from");
            select.Parameters.AddWithValue("$tenant", tenant);
            select.Parameters.AddWithValue("$from", from.Ticks);
            select.Parameters.AddWithValue("$batch", afterBatch);
            var events = new List<StoredEvent>();
            ReadStoredEvents(select, events);
            events.Sort(EventOrder.Compare);
            return events;
        }
    }

    public IReadOnlyList<StoredEvent> ReadEventsPage(string tenant, DateTime from, long maxBatch, int limit, bool mailAccessOnly = false)
    {
        // substr counts from 1.
        string kind = mailAccessOnly ? $" AND substr(data, {EventBytes.KindOffset + 1}, 1) = x'{EventBytes.MailAccessKind:x2}'" : "";
        lock (_readLock)
        {
            var events = new List<StoredEvent>();
            using (SqliteCommand select = ReadCommand($"SELECT batch, data FROM events WHERE tenant = $tenant AND time >= $from AND batch <= $batch{kind} ORDER BY time LIMIT $limit"))
            {
                select.Parameters.AddWithValue("$tenant", tenant);
                select.Parameters.AddWithValue("$from", from.Ticks);
                select.Parameters.AddWithValue("$batch", maxBatch);
                select.Parameters.AddWithValue("$limit", limit);
                ReadStoredEvents(select, events);
            }

            if (events.Count == limit && limit > 0)
            {
                // The rest of the last instant, read whole.
                DateTime last = events[^1].Event.Time;
                events.RemoveAll(e => e.Event.Time == last);
                using SqliteCommand rest = ReadCommand($"SELECT batch, data FROM events WHERE tenant = $tenant AND time = $time AND batch <= $batch{kind}");
                rest.Parameters.AddWithValue("$tenant", tenant);
                rest.Parameters.AddWithValue("$time", last.Ticks);
                rest.Parameters.AddWithValue("$batch", maxBatch);
                ReadStoredEvents(rest, events);
            }

            events.Sort(EventOrder.Compare);
            return events;
        }
    }

    public IReadOnlyList<(long Batch, int Stored)> NewBatches(string tenant, long afterBatch, int limit) =>
        [.. NewBatchRows(tenant, afterBatch, limit).Select(b => (b.Id, b.Stored))];

    public IReadOnlyList<StoredEvent> ReadNewEvents(string tenant, long afterBatch, int limit)
    {
        List<(long Id, int Stored, long First, long Last)> batches = NewBatchRows(tenant, afterBatch, limit);
        long first = batches.Where(b => b.Stored > 0).Select(b => b.First).DefaultIfEmpty(long.MaxValue).Min();
        long last = batches.Where(b => b.Stored > 0).Select(b => b.Last).DefaultIfEmpty(0).Max();
        var events = new List<StoredEvent>();
        if (first <= last)
        {
            lock (_readLock)
            {
                // The rows of those batches, by row id: other tenants' rows between them are passed over.
                using SqliteCommand select = ReadCommand("SELECT batch, data FROM events WHERE id BETWEEN $first AND $last AND tenant = $tenant ORDER BY id");
                select.Parameters.AddWithValue("$tenant", tenant);
                select.Parameters.AddWithValue("$first", first);
                select.Parameters.AddWithValue("$last", last);
                ReadStoredEvents(select, events);
            }
        }

        return events;
    }

    /// <summary>The tenant's batches after <paramref name="afterBatch"/>, as many as hold about
    /// <paramref name="limit"/> events, with their range of row ids. On the lookup connection: the detections
    /// ask at every run, and must not wait for a page of a long read of the history on the reader.</summary>
    private List<(long Id, int Stored, long First, long Last)> NewBatchRows(string tenant, long afterBatch, int limit)
    {
        lock (_lookupLock)
        {
            var batches = new List<(long, int, long, long)>();
            long count = 0;
            using SqliteCommand select = NewCommand(_lookup, "SELECT id, stored, first_event, last_event FROM batches WHERE tenant = $tenant AND id > $batch ORDER BY id");
            select.Parameters.AddWithValue("$tenant", tenant);
            select.Parameters.AddWithValue("$batch", afterBatch);
            using SqliteDataReader reader = select.ExecuteReader();
            while ((count == 0 || count < limit) && reader.Read())
            {
                int stored = reader.GetInt32(1);
                batches.Add((reader.GetInt64(0), stored, reader.IsDBNull(2) ? 0 : reader.GetInt64(2), reader.IsDBNull(3) ? 0 : reader.GetInt64(3)));
                count += stored;
            }

            return batches;
        }
    }

    public long LastBatch(string tenant)
    {
        lock (_lock)
        {
            using SqliteCommand select = Command("SELECT coalesce(max(id), 0) FROM batches WHERE tenant = $tenant", null);
            select.Parameters.AddWithValue("$tenant", tenant);
            return (long)select.ExecuteScalar()!;
        }
    }

    public void SaveSnapshot(string tenant, DetectionSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_lock)
        {
            using SqliteCommand upsert = Command(
                "INSERT INTO snapshots (tenant, horizon, batch, indicator_files, data, taken) VALUES ($tenant, $horizon, $batch, $files, $data, $taken) "
                + "ON CONFLICT (tenant) DO UPDATE SET horizon = excluded.horizon, batch = excluded.batch, indicator_files = excluded.indicator_files, data = excluded.data, taken = excluded.taken",
                null);
            upsert.Parameters.AddWithValue("$tenant", tenant);
            upsert.Parameters.AddWithValue("$horizon", snapshot.Horizon.Ticks);
            upsert.Parameters.AddWithValue("$batch", snapshot.Batch);
            upsert.Parameters.AddWithValue("$files", snapshot.IndicatorFiles);
            upsert.Parameters.AddWithValue("$data", snapshot.Data);
            upsert.Parameters.AddWithValue("$taken", snapshot.Taken.UtcTicks);
            upsert.ExecuteNonQuery();
        }

        _checkpointer.Committed();
    }

    public DetectionSnapshot? LoadSnapshot(string tenant)
    {
        lock (_lock)
        {
            using SqliteCommand select = Command("SELECT horizon, batch, indicator_files, data, taken FROM snapshots WHERE tenant = $tenant", null);
            select.Parameters.AddWithValue("$tenant", tenant);
            using SqliteDataReader reader = select.ExecuteReader();
            return reader.Read()
                ? new DetectionSnapshot(
                    new DateTime(reader.GetInt64(0), DateTimeKind.Utc),
                    reader.GetInt64(1),
                    reader.GetInt32(2),
                    (byte[])reader.GetValue(3),
                    new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero))
                : null;
        }
    }

    public string? ReadCheckpoint(string tenant, string source)
    {
        lock (_lock)
        {
            using SqliteCommand select = Command("SELECT value FROM checkpoints WHERE tenant = $tenant AND source = $source", null);
            select.Parameters.AddWithValue("$tenant", tenant);
            select.Parameters.AddWithValue("$source", source);
            return select.ExecuteScalar() as string;
        }
    }

    public void SaveCheckpoint(string tenant, string source, string value, DateTimeOffset now)
    {
        lock (_lock)
        {
            using SqliteCommand upsert = Command(
                "INSERT INTO checkpoints (tenant, source, value, saved) VALUES ($tenant, $source, $value, $saved) "
                + "ON CONFLICT (tenant, source) DO UPDATE SET value = excluded.value, saved = excluded.saved",
                null);
            upsert.Parameters.AddWithValue("$tenant", tenant);
            upsert.Parameters.AddWithValue("$source", source);
            upsert.Parameters.AddWithValue("$value", value);
            upsert.Parameters.AddWithValue("$saved", now.UtcTicks);
            upsert.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        _checkpointer.Dispose();
        _lookup.Dispose();
        _reader.Dispose();
        _connection.Dispose();
    }

    private static void ReadStoredEvents(SqliteCommand select, List<StoredEvent> events)
    {
        using SqliteDataReader reader = select.ExecuteReader();
        while (reader.Read())
        {
            events.Add(new StoredEvent(reader.GetInt64(0), EventBytes.Decode((byte[])reader.GetValue(1))));
        }
    }

    private static void AddMissingColumns(SqliteConnection connection, SqliteTransaction transaction)
    {
        foreach ((string table, string column, string definition) in SqliteSchema.AddedColumns)
        {
            using SqliteCommand info = NewCommand(connection, $"SELECT count(*) FROM pragma_table_info('{table}') WHERE name = '{column}'", transaction);
            if ((long)info.ExecuteScalar()! == 0)
            {
                Execute(connection, $"ALTER TABLE {table} ADD COLUMN {column} {definition}", transaction);
            }
        }
    }

    /// <summary>True for a database whose events table is one of the earlier ones (see
    /// <see cref="SqliteSchema.SetOldEventsAside"/>).</summary>
    private static bool HasOldEvents(SqliteConnection connection, SqliteTransaction transaction)
    {
        using SqliteCommand select = NewCommand(connection, "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'), (SELECT count(*) FROM pragma_table_info('events') WHERE name = 'record_key')", transaction);
        using SqliteDataReader reader = select.ExecuteReader();
        return reader.Read() && reader.GetInt64(0) == 1 && reader.GetInt64(1) == 0;
    }

    /// <summary>Copies the old table's events into the new one, in commit order, each keyed as new ones are, and
    /// records each batch's range of row ids.</summary>
    private static void MoveOldEvents(SqliteConnection connection, SqliteTransaction transaction)
    {
        var ranges = new Dictionary<long, (long First, long Last)>();
        using (SqliteCommand select = NewCommand(connection, SqliteSchema.ReadOldEvents, transaction))
        using (SqliteCommand insert = NewCommand(connection, "INSERT OR IGNORE INTO events (tenant, record_key, batch, time, data) VALUES ($tenant, $key, $batch, $time, $data) RETURNING id", transaction))
        {
            SqliteParameter tenant = insert.Parameters.Add("$tenant", SqliteType.Text);
            SqliteParameter key = insert.Parameters.Add("$key", SqliteType.Blob);
            SqliteParameter batch = insert.Parameters.Add("$batch", SqliteType.Integer);
            SqliteParameter time = insert.Parameters.Add("$time", SqliteType.Integer);
            SqliteParameter data = insert.Parameters.Add("$data", SqliteType.Blob);
            using SqliteDataReader reader = select.ExecuteReader();
            while (reader.Read())
            {
                byte[] bytes = (byte[])reader.GetValue(3);
                tenant.Value = reader.GetString(0);
                batch.Value = reader.GetInt64(1);
                time.Value = reader.GetInt64(2);
                key.Value = RecordKeys.Of(EventBytes.Decode(bytes));
                data.Value = bytes;
                if (insert.ExecuteScalar() is long id)
                {
                    long b = reader.GetInt64(1);
                    ranges[b] = ranges.TryGetValue(b, out (long First, long Last) r) ? (r.First, id) : (id, id);
                }
            }
        }

        using SqliteCommand update = NewCommand(connection, "UPDATE batches SET first_event = $first, last_event = $last WHERE id = $id", transaction);
        SqliteParameter first = update.Parameters.Add("$first", SqliteType.Integer);
        SqliteParameter last = update.Parameters.Add("$last", SqliteType.Integer);
        SqliteParameter batchId = update.Parameters.Add("$id", SqliteType.Integer);
        foreach ((long b, (long f, long l)) in ranges)
        {
            (batchId.Value, first.Value, last.Value) = (b, f, l);
            update.ExecuteNonQuery();
        }
    }

    private (string? Webhook, List<string> Admins) Routes(string tenant, SqliteTransaction transaction)
    {
        string? webhook;
        using (SqliteCommand select = Command("SELECT webhook FROM tenants WHERE id = $id", transaction))
        {
            select.Parameters.AddWithValue("$id", tenant);
            webhook = select.ExecuteScalar() as string;
        }

        var admins = new List<string>();
        using (SqliteCommand select = Command("SELECT email FROM tenant_admins WHERE tenant = $id ORDER BY email", transaction))
        {
            select.Parameters.AddWithValue("$id", tenant);
            using SqliteDataReader reader = select.ExecuteReader();
            while (reader.Read())
            {
                admins.Add(reader.GetString(0));
            }
        }

        return (webhook, admins);
    }

    private void Enqueue(string tenant, string incident, string channel, string target, string payload, DateTimeOffset now, SqliteTransaction transaction)
    {
        using SqliteCommand insert = Command(
            "INSERT INTO outbox (tenant, incident, channel, target, payload, created, next_attempt) VALUES ($tenant, $incident, $channel, $target, $payload, $now, $now)",
            transaction);
        insert.Parameters.AddWithValue("$tenant", tenant);
        insert.Parameters.AddWithValue("$incident", incident);
        insert.Parameters.AddWithValue("$channel", channel);
        insert.Parameters.AddWithValue("$target", target);
        insert.Parameters.AddWithValue("$payload", payload);
        insert.Parameters.AddWithValue("$now", now.UtcTicks);
        insert.ExecuteNonQuery();
    }

    private static List<StoredIncident> ReadIncidents(string tenant, SqliteCommand select)
    {
        using SqliteDataReader reader = select.ExecuteReader();
        var incidents = new List<StoredIncident>();
        while (reader.Read())
        {
            incidents.Add(IncidentRows.Read(reader, tenant, 0));
        }

        return incidents;
    }

    private SqliteCommand ReadCommand(string sql) => NewCommand(_reader, sql);

    private SqliteCommand Command(string sql, SqliteTransaction? transaction) => NewCommand(_connection, sql, transaction);

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = NewCommand(connection, sql, transaction);
        command.ExecuteNonQuery();
    }

    /// <summary>A command on one of the store's connections (the writer's, the reader's or the lookups').</summary>
    private static SqliteCommand NewCommand(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
