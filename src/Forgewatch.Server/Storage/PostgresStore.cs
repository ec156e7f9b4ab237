using Forgewatch.Core.Alerts;
using Forgewatch.Core.Events;
using Forgewatch.Server.Incidents;
using Forgewatch.Server.Notifications;
using Forgewatch.Server.Tenants;
using Npgsql;

namespace Forgewatch.Server.Storage;

/// <summary>
/// The store on a PostgreSQL server, chosen by a connection string (<c>Forgewatch:PostgreSQL</c>). Unlike
/// <see cref="SqliteStore"/> it takes calls in parallel, each on a pooled connection of one
/// <see cref="NpgsqlDataSource"/>, so several servers can share one database. Every write is one transaction,
/// committed with <c>synchronous_commit</c> on (the WAL flushed before the call returns; see <see cref="Open"/>).
/// Events are kept whole (<see cref="EventBytes"/>, <c>bytea</c>) beside the columns queries need.
/// Where SQLite's single writer made an order for free, locks make it here:
/// <list type="bullet">
/// <item><see cref="StoreEvents"/> locks the tenant's row before it takes a batch id, so one tenant's batch
/// ids grow in commit order (what <see cref="ReadEventsAfter"/> promises);</item>
/// <item><see cref="SaveIncidents"/> and <see cref="RemoveTenant"/> take an advisory lock per tenant, and
/// <see cref="NotifySettled"/> one over all tenants, so an incident is never announced twice, nor announced
/// while its tenant's incidents are half replaced or half removed.</item>
/// </list>
/// Thread-safe.
/// </summary>
public sealed class PostgresStore : IServerStore
{
    /// <summary>Rows of events per insert statement: a batch of 500,000 records is a few statements of
    /// bounded size rather than one parameter of hundreds of megabytes, or one round trip per record.</summary>
    private const int RowsPerInsert = 5000;

    private const int BytesPerInsert = 16 << 20;

    private readonly NpgsqlDataSource _source;

    private PostgresStore(NpgsqlDataSource source) => _source = source;

    /// <summary>Connects, and creates the tables if they are missing. When the server's (or the role's or
    /// database's) <c>synchronous_commit</c> is <c>off</c>, the store's sessions set it back to <c>on</c>: an
    /// acknowledged batch must survive a crash of the database server. Other values (<c>local</c>,
    /// <c>remote_write</c>, <c>remote_apply</c>) are at least as durable and are kept. Throws
    /// <see cref="NpgsqlException"/> when the server cannot be reached or refuses the login, and
    /// <see cref="ArgumentException"/> for a malformed connection string.</summary>
    public static PostgresStore Open(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= "forgewatch";
        NpgsqlDataSource source = builder.Build();
        try
        {
            using (NpgsqlConnection connection = source.OpenConnection())
            using (NpgsqlCommand show = new("SELECT current_setting('synchronous_commit')", connection))
            {
                if (show.ExecuteScalar() as string == "off")
                {
                    source.Dispose();
                    builder.ConnectionStringBuilder.Options = $"{builder.ConnectionStringBuilder.Options} -c synchronous_commit=on".Trim();
                    source = builder.Build();
                }
            }

            using (NpgsqlConnection connection = source.OpenConnection())
            using (NpgsqlTransaction transaction = connection.BeginTransaction())
            {
                Execute(connection, "SELECT pg_advisory_xact_lock($1)", PostgresSchema.SchemaLock);
                bool oldEvents;
                using (NpgsqlCommand check = new(PostgresSchema.HasOldEvents, connection))
                {
                    oldEvents = (bool)check.ExecuteScalar()!;
                }

                if (oldEvents)
                {
                    Execute(connection, PostgresSchema.SetOldEventsAside);
                }

                Execute(connection, PostgresSchema.Tables);
                if (oldEvents)
                {
                    MoveOldEvents(connection);
                    Execute(connection, PostgresSchema.DropOldEvents);
                }

                transaction.Commit();
            }
        }
        catch
        {
            source.Dispose();
            throw;
        }

        return new PostgresStore(source);
    }

    public bool AddTenant(Tenant tenant, string keyHash, string? webhookSecret = null)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlTransaction transaction = connection.BeginTransaction();
        int added = Execute(
            connection,
            "INSERT INTO tenants (id, key_hash, webhook, webhook_secret, webhook_format, created) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
            tenant.Id,
            keyHash,
            tenant.Webhook?.AbsoluteUri,
            webhookSecret,
            tenant.WebhookFormat,
            tenant.Created.UtcTicks);
        if (added == 0)
        {
            return false;
        }

        Execute(connection, "INSERT INTO tenant_admins (tenant, email) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING", tenant.Id, tenant.Admins.ToArray());
        transaction.Commit();
        return true;
    }

    public IReadOnlyList<Tenant> ListTenants()
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlCommand select = Command(
            connection,
            "SELECT t.id, t.webhook, t.created, t.webhook_format, coalesce(array_agg(a.email ORDER BY a.email) FILTER (WHERE a.email IS NOT NULL), '{}') "
            + "FROM tenants t LEFT JOIN tenant_admins a ON a.tenant = t.id GROUP BY t.id ORDER BY t.id");
        using NpgsqlDataReader reader = select.ExecuteReader();
        var tenants = new List<Tenant>();
        while (reader.Read())
        {
            Uri? webhook = reader.IsDBNull(1) ? null : new Uri(reader.GetString(1));
            var created = new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero);
            tenants.Add(new Tenant(reader.GetString(0), reader.GetFieldValue<string[]>(4), webhook, created, reader.GetString(3)));
        }

        return tenants;
    }

    public bool RemoveTenant(string id)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlTransaction transaction = connection.BeginTransaction();
        LockIncidents(connection, id);

        // Foreign keys cascade to the tenant's admins, batches, events, incidents, outbox and the rest.
        bool removed = Execute(connection, "DELETE FROM tenants WHERE id = $1", id) > 0;
        transaction.Commit();
        return removed;
    }

    public string? TenantForKey(string keyHash)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlCommand select = Command(connection, "SELECT id FROM tenants WHERE key_hash = $1", keyHash);
        return select.ExecuteScalar() as string;
    }

    public StoredBatch StoreEvents(string tenant, IReadOnlyList<AuditEvent> events, DateTimeOffset received)
    {
        ArgumentNullException.ThrowIfNull(events);
        byte[][] encoded = [.. events.Select(EventBytes.Encode)];
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlTransaction transaction = connection.BeginTransaction();

        // A batch id comes from a sequence when the batch row is inserted, but becomes visible at commit: two
        // batches of one tenant stored at once could commit in the other order than their ids, and a reader
        // that saw batch n would miss batch n - 1 committed after it. Holding the tenant's row lock from
        // before the id is taken until the commit makes the tenant's batches take their ids, and commit, one
        // after the other. Other tenants' batches, and reads, go on beside them. (NO KEY UPDATE does not block
        // the key-share locks that inserts of the tenant's incidents and notifications take.)
        Execute(connection, "SELECT 1 FROM tenants WHERE id = $1 FOR NO KEY UPDATE", tenant);
        long batchId;
        using (NpgsqlCommand insert = Command(connection, "INSERT INTO batches (tenant, received, events) VALUES ($1, $2, $3) RETURNING id", tenant, received.UtcTicks, events.Count))
        {
            batchId = (long)insert.ExecuteScalar()!;
        }

        int stored = 0;
        var fresh = new List<AuditEvent>(events.Count);
        for (int start = 0; start < events.Count;)
        {
            int end = start;
            long bytes = 0;
            while (end < events.Count && end - start < RowsPerInsert && (end == start || bytes + encoded[end].Length <= BytesPerInsert))
            {
                bytes += encoded[end++].Length;
            }

            stored += InsertEvents(connection, tenant, batchId, events, encoded, start, end, fresh);
            start = end;
        }

        Execute(connection, "UPDATE batches SET stored = $1 WHERE id = $2", stored, batchId);
        transaction.Commit();
        return new StoredBatch(batchId, stored, events.Count - stored) { New = fresh };
    }

    public long CountEvents(string tenant)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlCommand count = Command(connection, "SELECT count(*) FROM events WHERE tenant = $1", tenant);
        return (long)count.ExecuteScalar()!;
    }

    public IReadOnlyList<AuditEvent> ReadEvents(string tenant)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlCommand select = Command(connection, "SELECT data FROM events WHERE tenant = $1 ORDER BY time", tenant);
        using NpgsqlDataReader reader = select.ExecuteReader();
        var events = new List<AuditEvent>();
        byte[] buffer = new byte[4096];
        while (reader.Read())
        {
            events.Add(DecodeEvent(reader, 0, ref buffer));
        }

        events.Sort(EventOrder.Compare);
        return events;
    }

    public IReadOnlyList<StoredEvent> ReadEventsAfter(string tenant, DateTime from, long afterBatch)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlCommand select = Command(connection, "SELECT batch, data FROM events WHERE tenant = $1 AND (time >= $2 OR batch > $3)", tenant, from.Ticks, afterBatch);
        var events = new List<StoredEvent>();
        byte[] buffer = new byte[4096];
        ReadStoredEvents(select, events, ref buffer);

        // Sorted here as SqliteStore does: by the events' own time and record id, not the columns.
        events.Sort(EventOrder.Compare);
        return events;
    }

    public IReadOnlyList<StoredEvent> ReadEventsPage(string tenant, DateTime from, long maxBatch, int limit, bool mailAccessOnly = false)
    {
        // get_byte counts from 0.
        string kind = mailAccessOnly ? $" AND get_byte(data, {EventBytes.KindOffset}) = {EventBytes.MailAccessKind}" : "";
        using NpgsqlConnection connection = _source.OpenConnection();
        var events = new List<StoredEvent>();
        byte[] buffer = new byte[4096];
        using (NpgsqlCommand select = Command(connection, $"SELECT batch, data FROM events WHERE tenant = $1 AND time >= $2 AND batch <= $3{kind} ORDER BY time LIMIT $4", tenant, from.Ticks, maxBatch, limit))
        {
            ReadStoredEvents(select, events, ref buffer);
        }

        if (events.Count == limit && limit > 0)
        {
            // The rest of the last instant, read whole.
            DateTime last = events[^1].Event.Time;
            events.RemoveAll(e => e.Event.Time == last);
            using NpgsqlCommand rest = Command(connection, $"SELECT batch, data FROM events WHERE tenant = $1 AND time = $2 AND batch <= $3{kind}", tenant, last.Ticks, maxBatch);
            ReadStoredEvents(rest, events, ref buffer);
        }

        // Sorted here as SqliteStore does: by the events' own time and record id, not the columns.
        events.Sort(EventOrder.Compare);
        return events;
    }

    public IReadOnlyList<(long Batch, int Stored)> NewBatches(string tenant, long afterBatch, int limit)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        return NewBatches(connection, tenant, afterBatch, limit);
    }

    public IReadOnlyList<StoredEvent> ReadNewEvents(string tenant, long afterBatch, int limit)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        List<(long Batch, int Stored)> batches = NewBatches(connection, tenant, afterBatch, limit);
        var events = new List<StoredEvent>();
        if (batches.Count > 0)
        {
            byte[] buffer = new byte[4096];
            using NpgsqlCommand select = Command(connection, "SELECT batch, data FROM events WHERE tenant = $1 AND batch > $2 AND batch <= $3 ORDER BY batch", tenant, afterBatch, batches[^1].Batch);
            ReadStoredEvents(select, events, ref buffer);
        }

        return events;
    }

    private static List<(long Batch, int Stored)> NewBatches(NpgsqlConnection connection, string tenant, long afterBatch, int limit)
    {
        var batches = new List<(long, int)>();
        long count = 0;
        using NpgsqlCommand select = Command(connection, "SELECT id, stored FROM batches WHERE tenant = $1 AND id > $2 ORDER BY id", tenant, afterBatch);
        using NpgsqlDataReader reader = select.ExecuteReader();
        while ((count == 0 || count < limit) && reader.Read())
        {
            int stored = reader.GetInt32(1);
            batches.Add((reader.GetInt64(0), stored));
            count += stored;
        }

        return batches;
    }

    public long LastBatch(string tenant)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlCommand select = Command(connection, "SELECT coalesce(max(id), 0) FROM batches WHERE tenant = $1", tenant);
        return (long)select.ExecuteScalar()!;
    }

    public void SaveSnapshot(string tenant, DetectionSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        using NpgsqlConnection connection = _source.OpenConnection();
        Execute(
            connection,
            "INSERT INTO snapshots (tenant, horizon, batch, indicator_files, data, taken) VALUES ($1, $2, $3, $4, $5, $6) "
            + "ON CONFLICT (tenant) DO UPDATE SET horizon = excluded.horizon, batch = excluded.batch, indicator_files = excluded.indicator_files, data = excluded.data, taken = excluded.taken",
            tenant,
            snapshot.Horizon.Ticks,
            snapshot.Batch,
            snapshot.IndicatorFiles,
            snapshot.Data,
            snapshot.Taken.UtcTicks);
    }

    public DetectionSnapshot? LoadSnapshot(string tenant)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlCommand select = Command(connection, "SELECT horizon, batch, indicator_files, data, taken FROM snapshots WHERE tenant = $1", tenant);
        using NpgsqlDataReader reader = select.ExecuteReader();
        return reader.Read()
            ? new DetectionSnapshot(
                new DateTime(reader.GetInt64(0), DateTimeKind.Utc),
                reader.GetInt64(1),
                reader.GetInt32(2),
                reader.GetFieldValue<byte[]>(3),
                new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero))
            : null;
    }

    public string? ReadCheckpoint(string tenant, string source)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlCommand select = Command(connection, "SELECT value FROM checkpoints WHERE tenant = $1 AND source = $2", tenant, source);
        return select.ExecuteScalar() as string;
    }

    public void SaveCheckpoint(string tenant, string source, string value, DateTimeOffset now)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        Execute(
            connection,
            "INSERT INTO checkpoints (tenant, source, value, saved) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant, source) DO UPDATE SET value = excluded.value, saved = excluded.saved",
            tenant,
            source,
            Text(value),
            now.UtcTicks);
    }

    public void AddIndicatorFile(string tenant, string name, byte[] content, DateTimeOffset now)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        Execute(connection, "INSERT INTO indicator_files (tenant, name, content, added) VALUES ($1, $2, $3, $4)", tenant, Text(name), content, now.UtcTicks);
    }

    public int CountIndicatorFiles(string tenant)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlCommand count = Command(connection, "SELECT count(*) FROM indicator_files WHERE tenant = $1", tenant);
        return (int)(long)count.ExecuteScalar()!;
    }

    public IReadOnlyList<(string Name, byte[] Content)> IndicatorFiles(string tenant)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlCommand select = Command(connection, "SELECT name, content FROM indicator_files WHERE tenant = $1 ORDER BY id", tenant);
        using NpgsqlDataReader reader = select.ExecuteReader();
        var files = new List<(string, byte[])>();
        while (reader.Read())
        {
            files.Add((reader.GetString(0), reader.GetFieldValue<byte[]>(1)));
        }

        return files;
    }

    public (string Secret, string Format)? WebhookSettings(string tenant)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlCommand select = Command(connection, "SELECT webhook_secret, webhook_format FROM tenants WHERE id = $1 AND webhook IS NOT NULL AND webhook_secret IS NOT NULL", tenant);
        using NpgsqlDataReader reader = select.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    public void SaveIncidents(string tenant, IReadOnlyList<StoredIncident> incidents, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incidents);

        // One row per id, the last one winning, as SQLite's upsert row by row gives.
        StoredIncident[] latest = [.. incidents.GroupBy(i => i.Id, StringComparer.Ordinal).Select(g => g.Last())];
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlTransaction transaction = connection.BeginTransaction();
        LockIncidents(connection, tenant);
        Execute(
            connection,
            "INSERT INTO incidents (tenant, id, severity, first_seen, last_seen, json, first_found, updated, final) "
            + "SELECT $1, i.id, i.severity, i.first_seen, i.last_seen, i.json, $2, $2, i.final "
            + "FROM unnest($3::text[], $4::integer[], $5::bigint[], $6::bigint[], $7::text[], $8::boolean[]) AS i (id, severity, first_seen, last_seen, json, final) "
            + "ON CONFLICT (tenant, id) DO UPDATE SET severity = excluded.severity, first_seen = excluded.first_seen, last_seen = excluded.last_seen, json = excluded.json, updated = excluded.updated, final = excluded.final",
            tenant,
            now.UtcTicks,
            latest.Select(i => Text(i.Id)).ToArray(),
            latest.Select(i => (int)i.Severity).ToArray(),
            latest.Select(i => i.FirstSeen.Ticks).ToArray(),
            latest.Select(i => i.LastSeen.Ticks).ToArray(),
            latest.Select(i => Text(i.Json)).ToArray(),
            latest.Select(i => i.Final).ToArray());
        Execute(connection, "DELETE FROM incidents WHERE tenant = $1 AND NOT (id = ANY ($2::text[]))", tenant, latest.Select(i => Text(i.Id)).ToArray());
        transaction.Commit();
    }

    public int NotifySettled(DateTimeOffset now, TimeSpan settle, bool email, Func<IncidentChange, StoredIncident, string> payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlTransaction transaction = connection.BeginTransaction();

        // Exclusive against every SaveIncidents and RemoveTenant (they hold this lock shared), and against
        // another server's NotifySettled: what is read here is announced once and stays as read until commit.
        Execute(connection, "SELECT pg_advisory_xact_lock($1)", PostgresSchema.NotifyLock);
        var settled = new List<(StoredIncident Incident, Severity Notified)>();
        using (NpgsqlCommand select = Command(
            connection,
            "SELECT tenant, " + IncidentRows.Columns + ", notified_severity FROM incidents WHERE (final OR first_found <= $1) AND severity > notified_severity ORDER BY first_found, tenant, id",
            (now - settle).UtcTicks))
        using (NpgsqlDataReader reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                settled.Add((
                    IncidentRows.Read(reader, reader.GetString(0), 1),
                    (Severity)reader.GetInt32(7)));
            }
        }

        var routes = new Dictionary<string, (string? Webhook, string[] Admins)>(StringComparer.Ordinal);
        foreach ((StoredIncident incident, Severity notified) in settled)
        {
            var change = new IncidentChange(incident.Id, notified == 0 ? IncidentChangeKind.New : IncidentChangeKind.SeverityRaised, incident.Severity);
            string body = payload(change, incident);
            if (!routes.TryGetValue(incident.Tenant, out (string? Webhook, string[] Admins) route))
            {
                routes[incident.Tenant] = route = Routes(connection, incident.Tenant);
            }

            var channels = new List<string>();
            var targets = new List<string>();
            if (route.Webhook is not null)
            {
                channels.Add(NotificationChannels.Webhook);
                targets.Add(route.Webhook);
            }

            if (email)
            {
                foreach (string admin in route.Admins)
                {
                    channels.Add(NotificationChannels.Email);
                    targets.Add(admin);
                }
            }

            // The rows take their ids (the delivery order) in the order of the arrays.
            Execute(
                connection,
                "INSERT INTO outbox (tenant, incident, channel, target, payload, created, next_attempt) "
                + "SELECT $1, $2, r.channel, r.target, $3, $4, $4 FROM unnest($5::text[], $6::text[]) WITH ORDINALITY AS r (channel, target, n) ORDER BY r.n",
                incident.Tenant,
                incident.Id,
                Text(body),
                now.UtcTicks,
                channels.ToArray(),
                targets.ToArray());
            Execute(connection, "UPDATE incidents SET notified_severity = $1 WHERE tenant = $2 AND id = $3", (int)incident.Severity, incident.Tenant, incident.Id);
        }

        transaction.Commit();
        return settled.Count;
    }

    public IReadOnlyList<StoredIncident> ListIncidents(string tenant, DateTime? since, DateTime? until, Severity? minimum)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlCommand select = Command(
            connection,
            "SELECT " + IncidentRows.Columns + " FROM incidents WHERE tenant = $1 AND last_seen >= $2 AND first_seen < $3 AND severity >= $4 "
            + "ORDER BY severity DESC, last_seen DESC, id",
            tenant,
            (since ?? DateTime.MinValue).Ticks,
            (until ?? DateTime.MaxValue).Ticks,
            (int)(minimum ?? Severity.Low));
        return ReadIncidents(tenant, select);
    }

    public StoredIncident? GetIncident(string tenant, string id)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlCommand select = Command(connection, "SELECT " + IncidentRows.Columns + " FROM incidents WHERE tenant = $1 AND id = $2", tenant, Text(id));
        return ReadIncidents(tenant, select).SingleOrDefault();
    }

    public IReadOnlyList<Notification> DueNotifications(DateTimeOffset now, int limit)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlCommand select = Command(
            connection,
            "SELECT id, tenant, incident, channel, target, payload, attempts FROM outbox WHERE delivered IS NULL AND next_attempt <= $1 ORDER BY id LIMIT $2",
            now.UtcTicks,
            limit);
        using NpgsqlDataReader reader = select.ExecuteReader();
        var due = new List<Notification>();
        while (reader.Read())
        {
            due.Add(new Notification(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetInt32(6)));
        }

        return due;
    }

    public long PendingNotifications()
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlCommand count = Command(connection, "SELECT count(*) FROM outbox WHERE delivered IS NULL");
        return (long)count.ExecuteScalar()!;
    }

    public void MarkDelivered(long id, DateTimeOffset at)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        Execute(connection, "UPDATE outbox SET delivered = $1, attempts = attempts + 1 WHERE id = $2", at.UtcTicks, id);
    }

    public void Reschedule(long id, DateTimeOffset retryAt, string failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        using NpgsqlConnection connection = _source.OpenConnection();
        Execute(
            connection,
            "UPDATE outbox SET attempts = attempts + 1, next_attempt = $1, last_error = $2 WHERE id = $3",
            retryAt.UtcTicks,
            Text(failure.Length <= 500 ? failure : failure[..500]),
            id);
    }

    public void Dispose() => _source.Dispose();

    /// <summary>A setting of the store's sessions (<c>current_setting</c>), for tests.</summary>
    internal string? SessionSetting(string name)
    {
        using NpgsqlConnection connection = _source.OpenConnection();
        using NpgsqlCommand select = Command(connection, "SELECT current_setting($1)", name);
        return select.ExecuteScalar() as string;
    }

    /// <summary>Inserts events [<paramref name="start"/>, <paramref name="end"/>) of the batch; adds those that were
    /// new to <paramref name="fresh"/> (when given) and returns how many there were.</summary>
    private static int InsertEvents(NpgsqlConnection connection, string tenant, long batchId, IReadOnlyList<AuditEvent> events, byte[][] encoded, int start, int end, List<AuditEvent>? fresh = null)
    {
        int count = end - start;
        byte[][] keys = new byte[count][];
        long[] times = new long[count];
        byte[][] data = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            AuditEvent e = events[start + i];
            keys[i] = RecordKeys.Of(e);
            times[i] = e.Time.Ticks;
            data[i] = encoded[start + i];
        }

        // ON CONFLICT DO NOTHING skips records stored before and a record's repeats later in the batch (the
        // first one is kept, as SQLite's INSERT OR IGNORE does); the keys returned are those that were new.
        using NpgsqlCommand insert = Command(
            connection,
            "INSERT INTO events (tenant, record_key, batch, time, data) "
            + "SELECT $1, e.record_key, $2, e.time, e.data FROM unnest($3::bytea[], $4::bigint[], $5::bytea[]) AS e (record_key, time, data) "
            + "ON CONFLICT (tenant, record_key) DO NOTHING RETURNING record_key",
            tenant,
            batchId,
            keys,
            times,
            data);
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        using (NpgsqlDataReader reader = insert.ExecuteReader())
        {
            while (reader.Read())
            {
                inserted.Add(Convert.ToHexString(reader.GetFieldValue<byte[]>(0)));
            }
        }

        if (fresh is not null)
        {
            int before = fresh.Count;
            for (int i = 0; i < count; i++)
            {
                // Remove: of a record repeated in the batch, only the first is the new one.
                if (inserted.Remove(Convert.ToHexString(keys[i])))
                {
                    fresh.Add(events[start + i]);
                }
            }

            return fresh.Count - before;
        }

        return inserted.Count;
    }

    /// <summary>Copies the first events table's events into the new one, a batch at a time in commit order, each
    /// keyed as new ones are.</summary>
    private static void MoveOldEvents(NpgsqlConnection connection)
    {
        var batches = new List<(string Tenant, long Batch)>();
        using (NpgsqlCommand select = new("SELECT DISTINCT tenant, batch FROM events_old ORDER BY batch", connection))
        using (NpgsqlDataReader reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                batches.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }

        foreach ((string tenant, long batch) in batches)
        {
            var encoded = new List<byte[]>();
            using (NpgsqlCommand select = Command(connection, PostgresSchema.ReadOldBatch, tenant, batch))
            using (NpgsqlDataReader reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    encoded.Add(reader.GetFieldValue<byte[]>(0));
                }
            }

            InsertEvents(connection, tenant, batch, [.. encoded.Select(d => EventBytes.Decode(d))], [.. encoded], 0, encoded.Count);
        }
    }

    /// <summary>Serializes writes of one tenant's incidents (and its removal) with each other, and, holding
    /// the notification lock shared, waits out a <see cref="NotifySettled"/> in progress.</summary>
    private static void LockIncidents(NpgsqlConnection connection, string tenant)
    {
        Execute(connection, "SELECT pg_advisory_xact_lock_shared($1)", PostgresSchema.NotifyLock);
        Execute(connection, "SELECT pg_advisory_xact_lock($1, hashtext($2))", PostgresSchema.TenantLockSpace, tenant);
    }

    private static (string? Webhook, string[] Admins) Routes(NpgsqlConnection connection, string tenant)
    {
        using NpgsqlCommand select = Command(
            connection,
            "SELECT t.webhook, coalesce(array_agg(a.email ORDER BY a.email) FILTER (WHERE a.email IS NOT NULL), '{}') FROM tenants t LEFT JOIN tenant_admins a ON a.tenant = t.id WHERE t.id = $1 GROUP BY t.id",
            tenant);
        using NpgsqlDataReader reader = select.ExecuteReader();
        return reader.Read() ? (reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetFieldValue<string[]>(1)) : (null, []);
    }

    private static List<StoredIncident> ReadIncidents(string tenant, NpgsqlCommand select)
    {
        using NpgsqlDataReader reader = select.ExecuteReader();
        var incidents = new List<StoredIncident>();
        while (reader.Read())
        {
            incidents.Add(IncidentRows.Read(reader, tenant, 0));
        }

        return incidents;
    }

    /// <summary>Decodes the event in a bytea column through one buffer reused for the whole read, instead of
    /// an array per row.</summary>
    private static AuditEvent DecodeEvent(NpgsqlDataReader reader, int ordinal, ref byte[] buffer)
    {
        int length = (int)reader.GetBytes(ordinal, 0, null, 0, 0);
        if (length > buffer.Length)
        {
            buffer = new byte[Math.Max(length, buffer.Length * 2)];
        }

        reader.GetBytes(ordinal, 0, buffer, 0, length);
        return EventBytes.Decode(buffer.AsSpan(0, length));
    }

    /// <summary>PostgreSQL's text cannot hold the character 0, which log-derived text may (SQLite keeps it):
    /// it becomes U+FFFD in the columns. The events themselves are bytes and keep it.</summary>
    private static string Text(string value) => value.Contains('\0', StringComparison.Ordinal) ? value.Replace('\0', '\uFFFD') : value;

    private static void ReadStoredEvents(NpgsqlCommand select, List<StoredEvent> events, ref byte[] buffer)
    {
        using NpgsqlDataReader reader = select.ExecuteReader();
        while (reader.Read())
        {
            events.Add(new StoredEvent(reader.GetInt64(0), DecodeEvent(reader, 1, ref buffer)));
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params ReadOnlySpan<object?> values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (object? value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    private static int Execute(NpgsqlConnection connection, string sql, params ReadOnlySpan<object?> values)
    {
        using NpgsqlCommand command = Command(connection, sql, values);
        return command.ExecuteNonQuery();
    }
}
