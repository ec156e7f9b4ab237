using Microsoft.AspNetCore.Http;

namespace Forgewatch.Server.Hosting;

/// <summary>The server's error answers: RFC 9457 problem details (<c>application/problem+json</c>) with a
/// stable <c>type</c> URI per kind of problem, documented in docs/serve.md.</summary>
internal static class Problems
{
    private const string TypeBase = "https://forgewatch.dev/problems/";

    public static IResult Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Make(StatusCodes.Status401Unauthorized, "unauthorized", "The request carries no valid ingestion key.", detail);
    }

    /// <summary>Also the answer for another tenant's path: a caller cannot tell other tenants exist.</summary>
    public static IResult NoSuchTenant(string tenant) =>
        Make(StatusCodes.Status404NotFound, "no-such-tenant", "No such tenant.", $"There is no tenant \"{Shown(tenant)}\" for this key.");

    public static IResult NoSuchIncident(string id) =>
        Make(StatusCodes.Status404NotFound, "no-such-incident", "No such incident.", $"The tenant has no incident \"{Shown(id)}\".");

    public static IResult Forbidden(string detail) =>
        Make(StatusCodes.Status403Forbidden, "forbidden", "Not allowed with this key.", detail);

    public static IResult BadTenant(string detail) =>
        Make(StatusCodes.Status400BadRequest, "bad-tenant", "The tenant was not added.", detail);

    public static IResult TenantExists(string detail) =>
        Make(StatusCodes.Status409Conflict, "tenant-exists", "The tenant exists.", detail);

    public static IResult BadQuery(string detail) =>
        Make(StatusCodes.Status400BadRequest, "bad-query", "The query is not valid.", detail);

    public static IResult QueueFull(HttpContext context, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Make(StatusCodes.Status429TooManyRequests, "queue-full", "Ingestion is busy.", $"The ingestion queue is full; send the batch again after {retryAfterSeconds} s.");
    }

    public static IResult TooLarge(long limit) =>
        Make(StatusCodes.Status413PayloadTooLarge, "batch-too-large", "The batch is too large.", $"A batch may hold at most {limit:N0} bytes; split it.");

    public static IResult TooManyRecords(int limit) =>
        Make(StatusCodes.Status413PayloadTooLarge, "batch-too-large", "The batch is too large.", $"A batch may hold at most {limit:N0} records; split it.");

    public static IResult BadBatch(string detail, IDictionary<string, object?>? extensions = null) =>
        Make(StatusCodes.Status400BadRequest, "bad-batch", "The batch was not stored.", detail, extensions);

    private static IResult Make(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, title: title, type: TypeBase + type, extensions: extensions);

    private static string Shown(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
