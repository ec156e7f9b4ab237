using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Forgewatch.Testing;
using Forgewatch.Server.Tests.Storage;

namespace Forgewatch.Server.Tests.Hunting;

/// <summary>Retro-hunt through POST /api/v1/tenants/{tenant}/indicators: a new indicator turns stored history
/// into incidents.</summary>
public class IndicatorsEndpointTests
{
    private const string NewIndicator = "type,value,description\nip,203.0.113.10,seen in a partner's incident\n";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Post_IndicatorMatchingStoredRecords_PastMatchesBecomeAnIncident(StoreKind kind)
    {
        await using TestServer server = await TestServer.StartAsync(kind: kind);
        await server.StartupInvestigationsDoneAsync();
        Assert.Equal(HttpStatusCode.OK, await Send(server, "/api/v1/tenants/contoso/events", server.ContosoKey, File.ReadAllBytes(Path.Combine(RepositoryPaths.Exports, "ual", "collector", "ual-2023-06-07.jsonl"))));
        await WaitForRuns(server, 3);
        HashSet<string> before = [.. server.Store.ListIncidents("contoso", null, null, null).Select(i => i.Id)];
        Assert.DoesNotContain(server.Store.ListIncidents("contoso", null, null, null), i => i.Json.Contains("203.0.113.10", StringComparison.Ordinal));

        using HttpResponseMessage response = await Post(server, "/api/v1/tenants/contoso/indicators?name=partner.csv", server.ContosoKey, Encoding.UTF8.GetBytes(NewIndicator));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (JsonDocument receipt = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)))
        {
            Assert.Equal(1, receipt.RootElement.GetProperty("indicators").GetInt32());
            Assert.Equal("partner.csv", receipt.RootElement.GetProperty("name").GetString());
        }

        await WaitForRuns(server, 4);
        var found = server.Store.ListIncidents("contoso", null, null, null).Where(i => !before.Contains(i.Id)).ToList();
        Assert.Contains(found, i => i.Json.Contains("FW1003", StringComparison.Ordinal) && i.Json.Contains("203.0.113.10", StringComparison.Ordinal));
        Assert.Equal(("partner.csv", NewIndicator), (server.Store.IndicatorFiles("contoso").Single().Name, Encoding.UTF8.GetString(server.Store.IndicatorFiles("contoso").Single().Content)));
    }

    [Fact]
    public async Task Post_NothingUsable_400AndNothingKept()
    {
        await using TestServer server = await TestServer.StartAsync();

        using HttpResponseMessage response = await Post(server, "/api/v1/tenants/contoso/indicators", server.ContosoKey, Encoding.UTF8.GetBytes("type,value\nip,not-an-address\nfrequency,42\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, problem.RootElement.GetProperty("rejectedCount").GetInt32());
        Assert.Empty(server.Store.IndicatorFiles("contoso"));
    }

    [Fact]
    public async Task Post_OverTheSizeLimit_413AndNothingKept()
    {
        await using TestServer server = await TestServer.StartAsync();
        byte[] big = Encoding.UTF8.GetBytes("type,value\n" + string.Concat(Enumerable.Repeat("ip,203.0.113.10\n", (Forgewatch.Server.Hunting.IndicatorUpload.MaxBytes / 16) + 1)));

        using HttpResponseMessage response = await Post(server, "/api/v1/tenants/contoso/indicators", server.ContosoKey, big);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(server.Store.IndicatorFiles("contoso"));
    }

    [Fact]
    public async Task Post_OtherTenantsPath_404AndNothingKept()
    {
        await using TestServer server = await TestServer.StartAsync();

        using HttpResponseMessage response = await Post(server, "/api/v1/tenants/fabrikam/indicators", server.ContosoKey, Encoding.UTF8.GetBytes(NewIndicator));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(server.Store.IndicatorFiles("fabrikam"));
        Assert.Empty(server.Store.IndicatorFiles("contoso"));
    }

    private static async Task WaitForRuns(TestServer server, int runs)
    {
        for (int i = 0; i < 300 && (server.Detection.Runs < runs || server.Detection.Waiting > 0); i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.True(server.Detection.Runs >= runs, $"Only {server.Detection.Runs} investigations ran.");
    }

    private static async Task<HttpStatusCode> Send(TestServer server, string path, string key, byte[] body)
    {
        using HttpResponseMessage response = await Post(server, path, key, body);
        return response.StatusCode;
    }

    private static async Task<HttpResponseMessage> Post(TestServer server, string path, string key, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await server.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
