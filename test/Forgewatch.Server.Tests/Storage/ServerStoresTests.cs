using Forgewatch.Server.Hosting;
using Forgewatch.Server.Storage;

namespace Forgewatch.Server.Tests.Storage;

/// <summary>Which store the settings choose, and what an operator reads when it cannot be used.</summary>
public class ServerStoresTests
{
    private const string Password = "hunter2-Zq8";

    [Fact]
    public void Open_NoPostgreSQLSetting_SqliteInTheDataFolder()
    {
        using TestDatabase database = TestDatabase.Create(StoreKind.Sqlite);

        using IServerStore store = ServerStores.Open(new ServerOptions { Data = database.Folder, PostgreSQL = " " });

        Assert.IsType<SqliteStore>(store);
        Assert.True(File.Exists(Path.Combine(database.Folder, SqliteStore.FileName)));
    }

    [Fact]
    public void Open_PostgreSQLSetting_ThatDatabaseAndNoSqliteFile()
    {
        using TestDatabase database = TestDatabase.Create(StoreKind.PostgreSQL);

        using IServerStore store = database.Open();

        Assert.IsType<PostgresStore>(store);
        Assert.False(File.Exists(Path.Combine(database.Folder, SqliteStore.FileName)));
    }

    /// <summary>A database set to commit without waiting for the disk would acknowledge batches a crash of the
    /// database server loses: the store's sessions commit synchronously all the same, and keep stronger settings.</summary>
    [Theory]
    [InlineData("off", "on")]
    [InlineData("local", "local")]
    [InlineData("remote_apply", "remote_apply")]
    public void Open_DatabaseSynchronousCommit_NeverOff(string set, string expected)
    {
        using TestDatabase database = TestDatabase.Create(StoreKind.PostgreSQL);
        database.SetDefault("synchronous_commit", set);

        using var store = (PostgresStore)database.Open();

        Assert.Equal(expected, store.SessionSetting("synchronous_commit"));
    }

    [Fact]
    public void Open_ServerNotListening_OneLineNamingItWithoutThePassword()
    {
        var options = new ServerOptions { PostgreSQL = $"Host=127.0.0.1;Port=1;Database=forgewatch;Username=fw;Password={Password};Timeout=5" };

        StoreUnavailableException e = Assert.Throws<StoreUnavailableException>(() => ServerStores.Open(options));

        Assert.StartsWith("Cannot use the PostgreSQL database forgewatch on 127.0.0.1:1 as fw: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("Host=db.example;Password=hunter2;Zq8=1")]
    [InlineData("Host=db.example;Password=\"hunter2")]
    [InlineData("Database=forgewatch;Password=hunter2-Zq8")]
    public void Open_UnusableConnectionString_SaysSoWithoutQuotingThePassword(string connectionString)
    {
        var options = new ServerOptions { PostgreSQL = connectionString };

        StoreUnavailableException e = Assert.Throws<StoreUnavailableException>(() => ServerStores.Open(options));

        Assert.StartsWith("Forgewatch:PostgreSQL is not a ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Zq8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mask_PasswordAndPasswordSettings_Hidden()
    {
        string masked = ServerStores.Mask($"failed for Host=x;Password={Password};Port=5\nand pwd = 'other one' and {Password}", $"Host=x;Password={Password}");

        Assert.Equal("failed for Host=x;Password=***;Port=5 and pwd=*** and ***", masked);
    }
}
