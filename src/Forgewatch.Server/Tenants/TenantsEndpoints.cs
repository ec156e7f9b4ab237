using System.Security.Cryptography;
using System.Text;
using Forgewatch.Server.Hosting;
using Forgewatch.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Forgewatch.Server.Tenants;

/// <summary>
/// The operator's tenant API, open only with the key set in <c>Forgewatch:AdminKey</c> as a bearer token
/// (and not at all while it is unset): <c>GET /api/v1/tenants</c>, <c>POST /api/v1/tenants</c> (answers 201
/// with the new ingestion key and webhook secret, shown once) and <c>DELETE /api/v1/tenants/{tenant}</c>. A
/// tenant's ingestion key is refused here with 403.
/// </summary>
internal static class TenantsEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/tenants", List);
        endpoints.MapPost("/api/v1/tenants", Add);
        endpoints.MapDelete("/api/v1/tenants/{tenant}", Remove);
    }

    private static IResult List(HttpContext context, IServerStore store, IOptions<ServerOptions> options) =>
        Refusal(context, store, options.Value) ?? Results.Ok(store.ListTenants().Select(View));

    private static IResult Add(NewTenant request, HttpContext context, IServerStore store, IOptions<ServerOptions> options, TimeProvider time)
    {
        if (Refusal(context, store, options.Value) is { } refused)
        {
            return refused;
        }

        (Tenant? tenant, string? key, string? secret, string? problem, bool taken) = TenantRegistration.Add(store, request.Id ?? "", request.Admins ?? [], request.Webhook, time.GetUtcNow(), request.WebhookFormat ?? WebhookFormats.Json);
        if (tenant is null)
        {
            return taken ? Problems.TenantExists(problem!) : Problems.BadTenant(problem!);
        }

        return Results.Created($"/api/v1/tenants/{tenant.Id}", new { tenant = View(tenant), ingestionKey = key, webhookSecret = secret });
    }

    private static IResult Remove(string tenant, HttpContext context, IServerStore store, Detection.DetectionService detection, IOptions<ServerOptions> options)
    {
        if (Refusal(context, store, options.Value) is { } refused)
        {
            return refused;
        }

        if (!store.RemoveTenant(tenant))
        {
            return Problems.NoSuchTenant(tenant);
        }

        detection.Forget(tenant);
        return Results.NoContent();
    }

    private static object View(Tenant t) => new { id = t.Id, admins = t.Admins, webhook = t.Webhook?.AbsoluteUri, webhookFormat = t.Webhook is null ? null : t.WebhookFormat, created = t.Created };

    /// <summary>404 while no admin key is set (the API does not exist then), 403 for a tenant's key, 401 for
    /// anything else that is not the admin key.</summary>
    private static IResult? Refusal(HttpContext context, IServerStore store, ServerOptions options)
    {
        if (string.IsNullOrEmpty(options.AdminKey))
        {
            return Results.NotFound();
        }

        string presented = TenantAuthentication.BearerToken(context.Request) ?? "";
        if (CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(options.AdminKey))))
        {
            return null;
        }

        return TenantAuthentication.Caller(context.Request, store) is not null
            ? Problems.Forbidden("A tenant's key cannot manage tenants; use the operator's key (Forgewatch:AdminKey).")
            : Problems.Unauthorized(context, "Send the operator's key (Forgewatch:AdminKey) as a bearer token.");
    }
}

/// <summary>The body of <c>POST /api/v1/tenants</c>.</summary>
internal sealed record NewTenant(string? Id, string[]? Admins, string? Webhook, string? WebhookFormat);
