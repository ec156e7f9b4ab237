using System.Globalization;
using System.Text;
using Forgewatch.Core.Alerts;
using Forgewatch.Server.Hosting;
using Forgewatch.Server.Storage;
using Forgewatch.Server.Tenants;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Forgewatch.Server.Incidents;

/// <summary>
/// <c>GET /api/v1/tenants/{tenant}/incidents[?since=&amp;until=&amp;severity=]</c>: the tenant's incidents that
/// overlap the time range and are at least that severe, as a JSON array, most severe first; and
/// <c>GET /api/v1/tenants/{tenant}/incidents/{id}</c>: one incident with its timeline and exposure. Fields as in
/// <c>incidents.jsonl</c>. The tenant's key is the bearer token; another tenant's path is 404.
/// </summary>
internal static class IncidentsEndpoints
{
    public const string ListRoute = "/api/v1/tenants/{tenant}/incidents";

    public const string DetailRoute = "/api/v1/tenants/{tenant}/incidents/{id}";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ListRoute, List);
        endpoints.MapGet(DetailRoute, Detail);
    }

    private static IResult List(string tenant, string? since, string? until, string? severity, HttpContext context, IServerStore store)
    {
        if (TenantAuthentication.Refuse(tenant, context, store, out _) is { } refused)
        {
            return refused;
        }

        if (!TryTime(since, out DateTime? from) || !TryTime(until, out DateTime? to))
        {
            return Problems.BadQuery("since and until must be ISO 8601 times, such as 2023-06-15T00:00:00Z.");
        }

        Severity? minimum = null;
        if (severity is not null)
        {
            if (!Enum.TryParse(severity, ignoreCase: true, out Severity parsed) || !Enum.IsDefined(parsed) || int.TryParse(severity, out _))
            {
                return Problems.BadQuery("severity must be low, medium, high or critical.");
            }

            minimum = parsed;
        }

        IReadOnlyList<StoredIncident> incidents = store.ListIncidents(tenant, from, to, minimum);
        var json = new StringBuilder("[");
        for (int i = 0; i < incidents.Count; i++)
        {
            json.Append(i == 0 ? "" : ",").Append(incidents[i].Json);
        }

        return Results.Text(json.Append(']').ToString(), "application/json", Encoding.UTF8);
    }

    private static IResult Detail(string tenant, string id, HttpContext context, IServerStore store)
    {
        if (TenantAuthentication.Refuse(tenant, context, store, out _) is { } refused)
        {
            return refused;
        }

        return store.GetIncident(tenant, id) is { } incident
            ? Results.Text(incident.Json, "application/json", Encoding.UTF8)
            : Problems.NoSuchIncident(id);
    }

    private static bool TryTime(string? text, out DateTime? time)
    {
        time = null;
        if (text is null)
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed))
        {
            return false;
        }

        time = parsed.UtcDateTime;
        return true;
    }
}
