using Forgewatch.Server.Storage;
using Microsoft.AspNetCore.Http;

namespace Forgewatch.Server.Tenants;

/// <summary>Which tenant a request speaks for: the one whose ingestion key it carries as
/// <c>Authorization: Bearer fwi_...</c>, or null.</summary>
internal static class TenantAuthentication
{
    public static string? Caller(HttpRequest request, IServerStore store)
    {
        string? header = request.Headers.Authorization;
        const string Scheme = "Bearer ";
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string key = header[Scheme.Length..].Trim();
        if (key.Length > IngestionKey.MaxLength || !key.StartsWith(IngestionKey.Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        return store.TenantForKey(IngestionKey.Hash(key));
    }
}
