using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Forgewatch.Server.Hosting;
using Forgewatch.Server.Storage;
using Forgewatch.Server.Tenants;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Forgewatch.EndToEnd.Serve;

/// <summary>
/// The real server, in this process on a free port of 127.0.0.1, with one tenant (<c>northwind</c>) and an
/// HttpClient that carries its key; disposing stops both. With the records of <see cref="SimulatedTenant"/>.
/// </summary>
internal sealed class ServedTenant : IAsyncDisposable
{
    private readonly WebApplication _server;

    private ServedTenant(WebApplication server, HttpClient client, string secret)
    {
        _server = server;
        Client = client;
        WebhookSecret = secret;
    }

    public HttpClient Client { get; }

    public string WebhookSecret { get; }

    public IServerStore Store => _server.Services.GetRequiredService<IServerStore>();

    /// <summary>Starts the server over a new data folder in <paramref name="work"/> (and the PostgreSQL
    /// database the settings may name) with <paramref name="settings"/>; the tenant's webhook is <paramref name="hook"/> (none when null) and its
    /// admins <paramref name="admins"/> (one when empty).</summary>
    public static Task<ServedTenant> StartAsync(string work, WebhookListener? hook, Dictionary<string, string?> settings, params string[] admins) =>
        StartAsync(work, hook, Server.Tenants.WebhookFormats.Json, settings, admins);

    public static async Task<ServedTenant> StartAsync(string work, WebhookListener? hook, string webhookFormat, Dictionary<string, string?> settings, params string[] admins)
    {
        string data = Path.Combine(work, "data");
        string key = IngestionKey.New();
        string secret = Server.Tenants.WebhookSecret.New();
        using (IServerStore store = ServerStores.Open(new ServerOptions { Data = data, PostgreSQL = settings.GetValueOrDefault("Forgewatch:PostgreSQL") }))
        {
            store.AddTenant(new Tenant("northwind", admins.Length > 0 ? admins : ["soc@northwind.example"], hook?.Url, DateTimeOffset.UtcNow, webhookFormat), IngestionKey.Hash(key), hook is null ? null : secret);
        }

        settings["Forgewatch:Data"] = data;
        settings["urls"] = "http://127.0.0.1:0";

        // The tests push shuffled batches: records arrive days late within one log, so nothing is announced
        // before it has stood for the settle time, unless a test says otherwise.
        settings.TryAdd("Forgewatch:AllowedLatenessSeconds", "2592000");

        // The incidents are compared with scan's, exposure included: every new incident's exposure is read
        // from the whole history at once.
        settings.TryAdd("Forgewatch:ExposureRescanSeconds", "0");
        settings.TryAdd("Forgewatch:ProvisionalSeconds", "0");
        WebApplication server = ForgewatchServer.Build([], settings);
        await server.StartAsync(TestContext.Current.CancellationToken);
        string address = server.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        var client = new HttpClient { BaseAddress = new Uri(address) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return new ServedTenant(server, client, secret);
    }

    /// <summary>Sign-ins and mail access mixed, late records before early ones: batches of 300 lines in a
    /// random order.</summary>
    public async Task PushShuffledAsync(IReadOnlyList<string> lines, int seed)
    {
        var random = new Random(seed);
        foreach (string[] batch in lines.Chunk(300).OrderBy(_ => random.Next()))
        {
            using var content = new StringContent(string.Join('\n', batch), Encoding.UTF8);
            using HttpResponseMessage response = await Client.PostAsync("/api/v1/tenants/northwind/events", content, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>Both logs in event time order, in batches of 300 lines: how a tenant's records come when nothing
    /// is late.</summary>
    public async Task PushInOrderAsync(IReadOnlyList<string> lines)
    {
        foreach (string[] batch in lines.OrderBy(CreatedAt).Chunk(300))
        {
            using var content = new StringContent(string.Join('\n', batch), Encoding.UTF8);
            using HttpResponseMessage response = await Client.PostAsync("/api/v1/tenants/northwind/events", content, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>The time of a record of either log (UAL <c>CreationTime</c>, Graph <c>createdDateTime</c>).</summary>
    private static DateTime CreatedAt(string line)
    {
        using JsonDocument document = JsonDocument.Parse(line);
        JsonElement record = document.RootElement;
        string time = (record.TryGetProperty("CreationTime", out JsonElement ual) ? ual : record.GetProperty("createdDateTime")).GetString()!;
        return DateTime.Parse(time, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
    }

    /// <summary>The incidents the API serves, described as <see cref="SimulatedTenant.Describe"/> does, once
    /// there are <paramref name="count"/> (or after a minute).</summary>
    public async Task<string[]> WaitForIncidentsAsync(int count)
    {
        string[] served = [];
        for (int attempt = 0; attempt < 600; attempt++)
        {
            served = await IncidentsAsync();
            if (served.Length >= count)
            {
                // Let a run that may still be going settle, then read again.
                await Task.Delay(1000, TestContext.Current.CancellationToken);
                return await IncidentsAsync();
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        return served;
    }

    /// <summary>Waits until <paramref name="condition"/> holds or <paramref name="seconds"/> pass.</summary>
    public static async Task WaitFor(Func<bool> condition, int seconds = 30)
    {
        for (int i = 0; i < seconds * 10 && !condition(); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server.StopAsync(TestContext.Current.CancellationToken);
        await _server.DisposeAsync();
    }

    private async Task<string[]> IncidentsAsync()
    {
        string json = await Client.GetStringAsync("/api/v1/tenants/northwind/incidents", TestContext.Current.CancellationToken);
        using JsonDocument document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(i => SimulatedTenant.Describe(i.GetRawText())).Order(StringComparer.Ordinal)];
    }
}
