using Forgewatch.Core.Indicators;
using Forgewatch.Server.Detection;
using Forgewatch.Server.Hosting;
using Forgewatch.Server.Storage;
using Forgewatch.Server.Tenants;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Forgewatch.Server.Hunting;

/// <summary>
/// <c>POST /api/v1/tenants/{tenant}/indicators[?name=NAME]</c>: an indicator file (CSV or STIX 2.1) for the
/// tenant. It is kept and the tenant is investigated again over its whole history, so past matches become
/// incidents (retro-hunt). 200 with how many indicators it holds and the entries not used; 400 when it
/// holds none; 413 over 4 MiB.
/// </summary>
internal static class IndicatorsEndpoint
{
    public const string Route = "/api/v1/tenants/{tenant}/indicators";

    public static void Map(IEndpointRouteBuilder endpoints) => endpoints.MapPost(Route, HandleAsync);

    private static async Task<IResult> HandleAsync(string tenant, string? name, HttpContext context, IServerStore store, DetectionService detection, TimeProvider time)
    {
        if (TenantAuthentication.Refuse(tenant, context, store, out _) is { } refused)
        {
            return refused;
        }

        using var body = new MemoryStream();
        if (await BoundedBody.CopyAsync(context.Request.Body, body, IndicatorUpload.MaxBytes, context.RequestAborted).ConfigureAwait(false) < 0)
        {
            return Problems.TooLarge(IndicatorUpload.MaxBytes);
        }

        string fileName = string.IsNullOrWhiteSpace(name) ? $"upload-{time.GetUtcNow():yyyyMMddTHHmmssZ}" : name.Length <= 200 ? name : name[..200];
        byte[] content = body.ToArray();
        (int indicators, IReadOnlyList<IndicatorRejection> rejected) = IndicatorUpload.Check(content, fileName);
        object[] notUsed = [.. rejected.Take(50).Select(r => new { location = r.Location, reason = r.Reason })];
        if (indicators == 0)
        {
            return Problems.BadBatch("The file holds no indicator this server can use; nothing was kept.", new Dictionary<string, object?> { ["rejectedCount"] = rejected.Count, ["rejections"] = notUsed });
        }

        store.AddIndicatorFile(tenant, fileName, content, time.GetUtcNow());
        detection.IndicatorsChanged(tenant);
        return Results.Ok(new { tenant, name = fileName, indicators, rejectedCount = rejected.Count, rejections = notUsed });
    }
}
