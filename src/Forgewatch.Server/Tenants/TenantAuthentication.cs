using Forgewatch.Server.Hosting;
using Forgewatch.Server.Storage;
using Microsoft.AspNetCore.Http;

namespace Forgewatch.Server.Tenants;

/// <summary>Which tenant a request speaks for: the one whose ingestion key it carries as
/// <c>Authorization: Bearer fwi_...</c>, and the one answer every tenant endpoint gives otherwise.</summary>
internal static class TenantAuthentication
{
    /// <summary>The token of an <c>Authorization: Bearer ...</c> header, or null.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        const string Scheme = "Bearer ";
        return header is not null && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
    }

    /// <summary>The tenant whose ingestion key the request carries, or null.</summary>
    public static string? Caller(HttpRequest request, IServerStore store)
    {
        string? key = BearerToken(request);
        if (key is null || key.Length > IngestionKey.MaxLength || !key.StartsWith(IngestionKey.Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        return store.TenantForKey(IngestionKey.Hash(key));
    }

    /// <summary>Null when the request may act for <paramref name="tenant"/>; else the answer: 401 without a
    /// valid key, 404 for another tenant's path (so a caller cannot learn which tenants exist).
    /// <paramref name="reason"/> names the refusal for metrics: <c>unauthorized</c> or
    /// <c>no_such_tenant</c>.</summary>
    public static IResult? Refuse(string tenant, HttpContext context, IServerStore store, out string? reason)
    {
        if (Caller(context.Request, store) is not { } caller)
        {
            reason = "unauthorized";
            return Problems.Unauthorized(context, $"Send the tenant's ingestion key as \"Authorization: Bearer {IngestionKey.Prefix}...\".");
        }

        if (!string.Equals(caller, tenant, StringComparison.Ordinal))
        {
            reason = "no_such_tenant";
            return Problems.NoSuchTenant(tenant);
        }

        reason = null;
        return null;
    }
}
