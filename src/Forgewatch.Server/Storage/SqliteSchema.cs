namespace Forgewatch.Server.Storage;

/// <summary>The SQLite database's settings and tables (created if missing).</summary>
internal static class SqliteSchema
{
    /// <summary>WAL lets readers run beside the writer; FULL syncs the log on every commit, so an
    /// acknowledged batch survives power loss, not only a crash of the process. Investigations read a
    /// tenant's whole history: a 64 MiB page cache and memory-mapped reads (256 MiB) spare them copying
    /// every page from the kernel again (measured: a fifth of the server's time during a push).</summary>
    public const string Pragmas = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = FULL;
        PRAGMA busy_timeout = 10000;
        PRAGMA cache_size = -65536;
        PRAGMA mmap_size = 268435456;
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
            stored INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS batches_by_tenant ON batches (tenant);
        CREATE TABLE IF NOT EXISTS events (
            tenant TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            record_id TEXT NOT NULL,
            batch INTEGER NOT NULL,
            time INTEGER NOT NULL,
            kind TEXT NOT NULL,
            operation TEXT NOT NULL,
            user_id TEXT,
            app_id TEXT,
            client_ip TEXT,
            data BLOB NOT NULL,
            PRIMARY KEY (tenant, record_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS events_by_time ON events (tenant, time);
        CREATE INDEX IF NOT EXISTS events_by_batch ON events (tenant, batch);
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

    /// <summary>Columns added after the first release of the tables, for databases made before them.</summary>
    public static readonly (string Table, string Column, string Definition)[] AddedColumns =
    [
        ("incidents", "final", "INTEGER NOT NULL DEFAULT 0"),
    ];
}
