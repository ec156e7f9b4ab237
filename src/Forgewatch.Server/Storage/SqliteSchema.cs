namespace Forgewatch.Server.Storage;

/// <summary>The SQLite database's settings and tables (created if missing).</summary>
internal static class SqliteSchema
{
    /// <summary>WAL lets readers run beside the writer; FULL syncs the log on every commit, so an
    /// acknowledged batch survives power loss, not only a crash of the process. The writer's 64 MiB page cache
    /// holds the indexes that every batch inserts into at random (record ids); the reader's 16 MiB is for the
    /// recent pages it reads back. No memory-mapped reads, whose pages would count against the server's
    /// resident memory.</summary>
    public const string Pragmas = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = FULL;
        PRAGMA busy_timeout = 10000;
        PRAGMA cache_size = -65536;
        """;

    public const string ReaderCache = "PRAGMA cache_size = -16384;";

    /// <summary>The writer leaves checkpoints to <see cref="SqliteCheckpointer"/>; a log that grew large is cut
    /// back to 64 MiB when it starts over.</summary>
    public const string WriterCheckpoints = """
        PRAGMA wal_autocheckpoint = 0;
        PRAGMA journal_size_limit = 67108864;
        """;

    public const string Tables = """
        CREATE TABLE IF NOT EXISTS tenants (
            id TEXT PRIMARY KEY,
            key_hash TEXT NOT NULL UNIQUE,
            webhook TEXT,
            webhook_secret TEXT,
            webhook_format TEXT NOT NULL DEFAULT 'json',
            created INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS tenant_admins (
            tenant TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            email TEXT NOT NULL,
            PRIMARY KEY (tenant, email)
        );
        CREATE TABLE IF NOT EXISTS batches (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            tenant TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            received INTEGER NOT NULL,
            events INTEGER NOT NULL,
            stored INTEGER NOT NULL DEFAULT 0,
            first_event INTEGER,
            last_event INTEGER
        );
        CREATE INDEX IF NOT EXISTS batches_by_tenant ON batches (tenant);
        CREATE TABLE IF NOT EXISTS events (
            id INTEGER PRIMARY KEY,
            tenant TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            record_key BLOB NOT NULL,
            batch INTEGER NOT NULL,
            time INTEGER NOT NULL,
            data BLOB NOT NULL,
            UNIQUE (tenant, record_key)
        );
        CREATE INDEX IF NOT EXISTS events_by_time ON events (tenant, time);
        CREATE TABLE IF NOT EXISTS incidents (
            tenant TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            severity INTEGER NOT NULL,
            first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL,
            json TEXT NOT NULL,
            first_found INTEGER NOT NULL,
            updated INTEGER NOT NULL,
            notified_severity INTEGER NOT NULL DEFAULT 0,
            final INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (tenant, id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            tenant TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            incident TEXT NOT NULL,
            channel TEXT NOT NULL,
            target TEXT NOT NULL,
            payload TEXT NOT NULL,
            created INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt INTEGER NOT NULL,
            delivered INTEGER,
            last_error TEXT
        );
        CREATE INDEX IF NOT EXISTS outbox_due ON outbox (delivered, next_attempt);
        CREATE TABLE IF NOT EXISTS indicator_files (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            tenant TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            content BLOB NOT NULL,
            added INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS snapshots (
            tenant TEXT PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
            horizon INTEGER NOT NULL,
            batch INTEGER NOT NULL,
            indicator_files INTEGER NOT NULL,
            data BLOB NOT NULL,
            taken INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS checkpoints (
            tenant TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            value TEXT NOT NULL,
            saved INTEGER NOT NULL,
            PRIMARY KEY (tenant, source)
        ) WITHOUT ROWID;
        """;

    /// <summary>
    /// Events were first kept in a table ordered by record id (<c>WITHOUT ROWID</c>), then in commit order with
    /// the record id as text and five more columns no query used, indexed by batch as well. Every batch wrote
    /// pages all over those indexes. Now a row holds only what queries need: the record's 16-byte key
    /// (<see cref="RecordKeys"/>), its batch and time, and the event; a batch's rows are found by the range
    /// of row ids the batch row records. A database made before has its events moved over once, in one
    /// transaction: the old table is renamed out of the way here and copied by <see cref="SqliteStore"/>.
    /// </summary>
    public const string SetOldEventsAside = """
        ALTER TABLE events RENAME TO events_old;
        DROP INDEX IF EXISTS events_by_time;
        DROP INDEX IF EXISTS events_by_batch;
        """;

    /// <summary>Of the old events table, in commit order: batch, then time (the first table had no row ids).</summary>
    public const string ReadOldEvents = "SELECT tenant, batch, time, data FROM events_old ORDER BY batch, time";

    public const string DropOldEvents = "DROP TABLE events_old;";

    /// <summary>Columns added after the first release of the tables, for databases made before them.</summary>
    public static readonly (string Table, string Column, string Definition)[] AddedColumns =
    [
        ("incidents", "final", "INTEGER NOT NULL DEFAULT 0"),
        ("batches", "first_event", "INTEGER"),
        ("batches", "last_event", "INTEGER"),
    ];
}
