using Forgewatch.Server.Hosting;
using Forgewatch.Server.Storage;
using Npgsql;

namespace Forgewatch.Server.Tests.Storage;

/// <summary>The stores the store contract tests run against.</summary>
public enum StoreKind
{
    Sqlite,
    PostgreSQL,
}

/// <summary>
/// A new, empty store of one kind, gone on dispose: a data folder of its own, and for PostgreSQL a database of
/// its own (<c>fw_test_...</c>) on the server that <c>FORGEWATCH_TEST_POSTGRES</c> names, so tests run in
/// parallel. Without that variable a PostgreSQL test skips and says what is missing. Thread-safe.
/// </summary>
internal sealed class TestDatabase : IDisposable
{
    public const string Variable = "FORGEWATCH_TEST_POSTGRES";

    private static readonly Lazy<NpgsqlDataSource?> Server = new(() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } connectionString ? NpgsqlDataSource.Create(connectionString) : null);

    private readonly string? _database;

    private TestDatabase(StoreKind kind, string folder, string? database, string? connectionString)
    {
        Kind = kind;
        Folder = folder;
        _database = database;
        ConnectionString = connectionString;
    }

    public static TheoryData<StoreKind> Kinds => new(StoreKind.Sqlite, StoreKind.PostgreSQL);

    public StoreKind Kind { get; }

    /// <summary>The data folder: SQLite's database, and the server's incoming batches either way.</summary>
    public string Folder { get; }

    /// <summary>The PostgreSQL database's connection string, or null for SQLite.</summary>
    public string? ConnectionString { get; }

    /// <summary>The settings that choose this store, as the server reads them.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Forgewatch:Data"] = Folder,
        ["Forgewatch:PostgreSQL"] = ConnectionString,
    };

    public ServerOptions Options => new() { Data = Folder, PostgreSQL = ConnectionString };

    public static TestDatabase Create(StoreKind kind)
    {
        string folder = Path.Combine(Path.GetTempPath(), "forgewatch-store-tests", Guid.NewGuid().ToString("N"));
        if (kind == StoreKind.Sqlite)
        {
            return new TestDatabase(kind, folder, null, null);
        }

        NpgsqlDataSource server = Server.Value ?? SkipWithoutServer();
        string database = $"fw_test_{Guid.NewGuid():N}";
        using (NpgsqlCommand create = server.CreateCommand($"CREATE DATABASE \"{database}\""))
        {
            create.ExecuteNonQuery();
        }

        var builder = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(Variable)) { Database = database };
        return new TestDatabase(kind, folder, database, builder.ConnectionString);
    }

    /// <summary>Sets a PostgreSQL setting for every new session of this database (<c>ALTER DATABASE ... SET</c>).</summary>
    public void SetDefault(string setting, string value)
    {
        using NpgsqlCommand command = Server.Value!.CreateCommand($"ALTER DATABASE \"{_database}\" SET {setting} = {value}");
        command.ExecuteNonQuery();
    }

    /// <summary>Opens the store, as <c>serve</c> does.</summary>
    public IServerStore Open() => ServerStores.Open(Options);

    public void Dispose()
    {
        if (_database is not null)
        {
            // FORCE ends connections a store left open, such as a pool not yet closed.
            using NpgsqlCommand drop = Server.Value!.CreateCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
            drop.ExecuteNonQuery();
        }
    }

    private static NpgsqlDataSource SkipWithoutServer()
    {
        Assert.Skip($"PostgreSQL tests need a server: set {Variable} to a connection string of a role that may create databases (e.g. Host=/tmp/pg;Username=postgres;Database=postgres). .ci/run starts one (.ci/install-test-services).");
        return null!;
    }
}
