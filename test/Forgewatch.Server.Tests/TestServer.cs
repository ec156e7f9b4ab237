using Forgewatch.Server.Hosting;
using Forgewatch.Server.Storage;
using Forgewatch.Server.Tests.Storage;
using Forgewatch.Server.Tenants;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Forgewatch.Server.Tests;

/// <summary>
/// The real server on Kestrel at a free port of 127.0.0.1, over a fresh data folder (and with
/// <see cref="StoreKind.PostgreSQL"/>, a fresh database), with two tenants (<c>contoso</c> and
/// <c>fabrikam</c>) and their keys, and an HttpClient pointed at it.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TestDatabase? _ownDatabase;

    private TestServer(WebApplication app, TestDatabase? ownDatabase, string data, Uri address, string contosoKey, string fabrikamKey)
    {
        _app = app;
        _ownDatabase = ownDatabase;
        Data = data;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(1) };
        ContosoKey = contosoKey;
        FabrikamKey = fabrikamKey;
    }

    public string Data { get; }

    public HttpClient Client { get; }

    public string ContosoKey { get; }

    public string FabrikamKey { get; }

    public IServerStore Store => _app.Services.GetRequiredService<IServerStore>();

    public IServiceProvider Services => _app.Services;

    public Forgewatch.Server.Detection.DetectionService Detection => _app.Services.GetRequiredService<Forgewatch.Server.Detection.DetectionService>();

    public Forgewatch.Server.Ingestion.IngestionGate Gate => _app.Services.GetRequiredService<Forgewatch.Server.Ingestion.IngestionGate>();

    /// <summary>Starts a server over <paramref name="database"/> when given (it stays when the server stops), or
    /// over a new store of <paramref name="kind"/>: a SQLite database in <paramref name="data"/> (a new
    /// folder when null), or a new PostgreSQL database that goes with the server.</summary>
    public static async Task<TestServer> StartAsync(Dictionary<string, string?>? settings = null, string? data = null, StoreKind kind = StoreKind.Sqlite, TestDatabase? database = null)
    {
        TestDatabase? own = database is null && kind == StoreKind.PostgreSQL ? TestDatabase.Create(kind) : null;
        database ??= own;
        data = database?.Folder ?? data ?? Path.Combine(Path.GetTempPath(), "forgewatch-server-tests", Guid.NewGuid().ToString("N"));
        string contoso = IngestionKey.New();
        string fabrikam = IngestionKey.New();
        using (IServerStore store = ServerStores.Open(new ServerOptions { Data = data, PostgreSQL = database?.ConnectionString }))
        {
            store.AddTenant(new Tenant("contoso", ["sec@contoso.example"], null, DateTimeOffset.UtcNow), IngestionKey.Hash(contoso));
            store.AddTenant(new Tenant("fabrikam", ["soc@fabrikam.example"], null, DateTimeOffset.UtcNow), IngestionKey.Hash(fabrikam));
        }

        var overrides = new Dictionary<string, string?>(settings ?? [])
        {
            ["Forgewatch:Data"] = data,
            ["Forgewatch:PostgreSQL"] = database?.ConnectionString,
            ["urls"] = "http://127.0.0.1:0",
        };
        WebApplication app = ForgewatchServer.Build([], overrides);
        await app.StartAsync().ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new TestServer(app, own, data, new Uri(address), contoso, fabrikam);
    }

    /// <summary>Waits until the investigations the server runs at start (one per tenant) are done, so what a
    /// test stores next is not overwritten by them.</summary>
    public async Task StartupInvestigationsDoneAsync()
    {
        for (int i = 0; i < 500 && Detection.Runs < 2; i++)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        Assert.True(Detection.Runs >= 2, "The start-up investigations did not finish.");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _ownDatabase?.Dispose();
    }
}
