using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Forgewatch.Core.Alerts;
using Forgewatch.Server.Incidents;
using Forgewatch.Server.Tests.Storage;

namespace Forgewatch.Server.Tests.Incidents;

/// <summary>GET /api/v1/tenants/{tenant}/incidents and /incidents/{id} on the real server.</summary>
public class IncidentsEndpointsTests
{
    private static readonly DateTime Day = new(2023, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task List_NoFilters_EveryIncidentOfTheTenantMostSevereFirst(StoreKind kind)
    {
        await using TestServer server = await StartWithIncidents(kind);

        string[] ids = await ListIds(server, "contoso", server.ContosoKey, "");

        Assert.Equal(["high-late", "medium-mid", "low-early"], ids);
    }

    [Theory]
    [InlineData("?severity=medium", new[] { "high-late", "medium-mid" })]
    [InlineData("?severity=HIGH", new[] { "high-late" })]
    [InlineData("?since=2023-06-02T00:00:00Z", new[] { "high-late", "medium-mid" })]
    [InlineData("?until=2023-06-02T00:00:00Z", new[] { "low-early" })]
    [InlineData("?since=2023-06-02T00:00:00Z&until=2023-06-03T00:00:00Z&severity=low", new[] { "medium-mid" })]
    [InlineData("?since=2030-01-01T00:00:00Z", new string[0])]
    public async Task List_Filters_OnlyMatchingIncidents(string query, string[] expected)
    {
        await using TestServer server = await StartWithIncidents();

        Assert.Equal(expected, await ListIds(server, "contoso", server.ContosoKey, query));
    }

    [Theory]
    [InlineData("?severity=urgent")]
    [InlineData("?severity=3")]
    [InlineData("?since=yesterday")]
    [InlineData("?until=2023-13-45")]
    public async Task List_BadQuery_400Problem(string query)
    {
        await using TestServer server = await StartWithIncidents();

        using HttpResponseMessage response = await Get(server, $"/api/v1/tenants/contoso/incidents{query}", server.ContosoKey);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Detail_OwnIncident_TheStoredIncident(StoreKind kind)
    {
        await using TestServer server = await StartWithIncidents(kind);

        using HttpResponseMessage response = await Get(server, "/api/v1/tenants/contoso/incidents/medium-mid", server.ContosoKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument incident = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("medium-mid", incident.RootElement.GetProperty("id").GetString());
        Assert.Equal("medium", incident.RootElement.GetProperty("severity").GetString());
    }

    /// <summary>A tenant's key never reads another tenant's incidents: not by the other's path, not by an
    /// incident id of the other's under its own path; both look like nothing is there.</summary>
    [Theory]
    [InlineData("/api/v1/tenants/fabrikam/incidents")]
    [InlineData("/api/v1/tenants/fabrikam/incidents/theirs")]
    [InlineData("/api/v1/tenants/contoso/incidents/theirs")]
    [InlineData("/api/v1/tenants/nosuch/incidents")]
    public async Task OtherTenantsIncidents_404(string path)
    {
        await using TestServer server = await StartWithIncidents();

        using HttpResponseMessage response = await Get(server, path, server.ContosoKey);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("critical", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/tenants/contoso/incidents")]
    [InlineData("/api/v1/tenants/contoso/incidents/medium-mid")]
    public async Task WithoutKey_401(string path)
    {
        await using TestServer server = await StartWithIncidents();

        using HttpResponseMessage response = await server.Client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<TestServer> StartWithIncidents(StoreKind kind = StoreKind.Sqlite)
    {
        TestServer server = await TestServer.StartAsync(kind: kind);
        await server.StartupInvestigationsDoneAsync();
        server.Store.SaveIncidents("contoso", [Incident("contoso", "low-early", Severity.Low, Day, Day.AddHours(1)), Incident("contoso", "high-late", Severity.High, Day.AddDays(2), Day.AddDays(2).AddHours(3)), Incident("contoso", "medium-mid", Severity.Medium, Day.AddDays(1), Day.AddDays(1).AddHours(1))], DateTimeOffset.UtcNow);
        server.Store.SaveIncidents("fabrikam", [Incident("fabrikam", "theirs", Severity.Critical, Day, Day.AddHours(1))], DateTimeOffset.UtcNow);
        return server;
    }

    private static StoredIncident Incident(string tenant, string id, Severity severity, DateTime first, DateTime last) =>
        new(tenant, id, severity, first, last, $$"""{"id":"{{id}}","severity":"{{severity.Name()}}"}""");

    private static async Task<string[]> ListIds(TestServer server, string tenant, string key, string query)
    {
        using HttpResponseMessage response = await Get(server, $"/api/v1/tenants/{tenant}/incidents{query}", key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument list = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return [.. list.RootElement.EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];
    }

    private static async Task<HttpResponseMessage> Get(TestServer server, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await server.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
