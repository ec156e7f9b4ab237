using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Forgewatch.Server.Tests.Storage;

namespace Forgewatch.Server.Tests.Tenants;

/// <summary>The operator's tenant API: only the admin key manages tenants; a tenant's key gets 403.</summary>
public class TenantsEndpointsTests
{
    private const string AdminKey = "operator-key-0123456789abcdef";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task AddListRemove_WithTheAdminKey(StoreKind kind)
    {
        await using TestServer server = await TestServer.StartAsync(new() { ["Forgewatch:AdminKey"] = AdminKey }, kind: kind);

        using HttpResponseMessage added = await Send(server, HttpMethod.Post, "/api/v1/tenants", AdminKey, new { id = "northwind", admins = new[] { "soc@northwind.example" }, webhook = "https://hooks.northwind.example/fw" });

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await added.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        string key = body.RootElement.GetProperty("ingestionKey").GetString()!;
        Assert.StartsWith("fwi_", key, StringComparison.Ordinal);
        Assert.StartsWith("fws_", body.RootElement.GetProperty("webhookSecret").GetString(), StringComparison.Ordinal);

        // The new key opens the new tenant's paths.
        using HttpResponseMessage incidents = await Send(server, HttpMethod.Get, "/api/v1/tenants/northwind/incidents", key, null);
        Assert.Equal(HttpStatusCode.OK, incidents.StatusCode);

        using HttpResponseMessage listed = await Send(server, HttpMethod.Get, "/api/v1/tenants", AdminKey, null);
        using JsonDocument list = JsonDocument.Parse(await listed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["contoso", "fabrikam", "northwind"], list.RootElement.EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.DoesNotContain(key, list.RootElement.GetRawText(), StringComparison.Ordinal);

        using HttpResponseMessage removed = await Send(server, HttpMethod.Delete, "/api/v1/tenants/northwind", AdminKey, null);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        using HttpResponseMessage gone = await Send(server, HttpMethod.Get, "/api/v1/tenants/northwind/incidents", key, null);
        Assert.Equal(HttpStatusCode.Unauthorized, gone.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/v1/tenants")]
    [InlineData("POST", "/api/v1/tenants")]
    [InlineData("DELETE", "/api/v1/tenants/fabrikam")]
    [InlineData("DELETE", "/api/v1/tenants/contoso")]
    public async Task TenantKey_403_NothingChanged(string method, string path)
    {
        await using TestServer server = await TestServer.StartAsync(new() { ["Forgewatch:AdminKey"] = AdminKey });

        using HttpResponseMessage response = await Send(server, new HttpMethod(method), path, server.ContosoKey, method == "POST" ? new { id = "evil", admins = new[] { "x@evil.example" } } : null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(["contoso", "fabrikam"], server.Store.ListTenants().Select(t => t.Id));
    }

    [Fact]
    public async Task NoAdminKeySet_TheApiDoesNotExist()
    {
        await using TestServer server = await TestServer.StartAsync();

        using HttpResponseMessage response = await Send(server, HttpMethod.Get, "/api/v1/tenants", "anything-at-all-0123456789", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"id":"../x","admins":["a@b.example"]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"id":"ok","admins":[]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"id":"ok","admins":["not an address"]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"id":"ok","admins":["a@b.example"],"webhook":"ftp://x"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"id":"contoso","admins":["a@b.example"]}""", HttpStatusCode.Conflict)]
    public async Task Add_BadOrTaken_ProblemAndNothingAdded(string json, HttpStatusCode expected)
    {
        await using TestServer server = await TestServer.StartAsync(new() { ["Forgewatch:AdminKey"] = AdminKey });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);

        using HttpResponseMessage response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["contoso", "fabrikam"], server.Store.ListTenants().Select(t => t.Id));
    }

    private static async Task<HttpResponseMessage> Send(TestServer server, HttpMethod method, string path, string key, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await server.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
