using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Forgewatch.Server.Tests.Polling;

/// <summary>
/// The Microsoft identity platform's token endpoint, the Office 365 Management Activity API and Graph
/// <c>/auditLogs/signIns</c> on Kestrel at a free port of 127.0.0.1, in their documented shapes: client
/// credentials checked field by field (AADSTS errors as the real endpoint words them), tokens bound to a tenant
/// and a scope, subscriptions (AF20024 when already enabled, AF20022 without one), content listed by
/// <c>contentCreated</c> in [startTime, endTime) of at most 24 hours within the last 7 days (AF20055 otherwise),
/// paged through the <c>NextPageUri</c> header, blobs as JSON arrays, and sign-ins newest first filtered by
/// <c>createdDateTime ge</c>, paged through <c>@odata.nextLink</c>. Every request is recorded; faults (a status
/// with <c>Retry-After</c>) and a hang can be injected.
/// </summary>
internal sealed partial class FakeMicrosoftApis : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (string ClientId, string Secret)> _apps = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, (string Tid, string Scope)> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Tid, string Type), bool> _subscriptions = new();
    private readonly List<Content> _content = [];
    private readonly ConcurrentDictionary<string, List<JsonObject>> _signIns = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Fault> _faults = [];
    private Func<HttpRequest, bool>? _hang;
    private TaskCompletionSource _hangHit = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeMicrosoftApis(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public string LoginUrl => Address + "login";

    public string ManagementUrl => Address + "manage";

    public string GraphUrl => Address + "graph";

    /// <summary>Content items per listing page.</summary>
    public int ListingPageSize { get; set; } = 2;

    public int GraphPageSize { get; set; } = 4;

    /// <summary>The subscription list answers empty, as if none were enabled.</summary>
    public bool HideSubscriptions { get; set; }

    public ConcurrentQueue<Served> Requests { get; } = new();

    public static async Task<FakeMicrosoftApis> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var fake = new FakeMicrosoftApis(app);
        app.Use(fake.RecordAndInjectAsync);
        app.MapPost("/login/{tid}/oauth2/v2.0/token", fake.TokenAsync);
        app.MapGet("/manage/api/v1.0/{tid}/activity/feed/subscriptions/list", fake.ListSubscriptions);
        app.MapPost("/manage/api/v1.0/{tid}/activity/feed/subscriptions/start", fake.StartSubscription);
        app.MapGet("/manage/api/v1.0/{tid}/activity/feed/subscriptions/content", fake.ListContent);
        app.MapGet("/manage/api/v1.0/{tid}/activity/feed/audit/{id}", fake.Blob);
        app.MapGet("/graph/v1.0/auditLogs/signIns", fake.SignIns);
        await app.StartAsync();
        fake.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single() + "/");
        return fake;
    }

    public void AddApp(string tid, string clientId, string secret) => _apps[tid] = (clientId, secret);

    public void AddContent(string tid, string contentType, string id, DateTimeOffset created, string blobJson, string? contentUri = null)
    {
        lock (_content)
        {
            _content.Add(new Content(tid, contentType, id, created, Encoding.UTF8.GetBytes(blobJson), contentUri));
        }
    }

    public void AddSignIns(string tid, IEnumerable<JsonObject> signIns) => _signIns.GetOrAdd(tid, _ => []).AddRange(signIns);

    /// <summary>The next <paramref name="times"/> requests that <paramref name="match"/> picks are answered with
    /// <paramref name="status"/> (and <c>Retry-After</c>) instead.</summary>
    public void Inject(Func<HttpRequest, bool> match, int status, string? retryAfter, int times = 1)
    {
        lock (_faults)
        {
            _faults.Add(new Fault(match, status, retryAfter) { Remaining = times });
        }
    }

    /// <summary>The next request that <paramref name="match"/> picks is held until the client gives up; the
    /// task completes when it arrives.</summary>
    public Task HangOn(Func<HttpRequest, bool> match)
    {
        _hangHit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hang = match;
        return _hangHit.Task;
    }

    /// <summary>Every token issued so far is refused from now on (401), as after a key rollover.</summary>
    public void RevokeTokens() => _tokens.Clear();

    public int Count(Func<Served, bool> match) => Requests.Count(match);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task RecordAndInjectAsync(HttpContext context, Func<Task> next)
    {
        // Recorded as it arrives, so that a request held until the client gives up is counted in order.
        var served = new Served(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", DateTimeOffset.UtcNow);
        Requests.Enqueue(served);
        if (_hang is { } hang && hang(context.Request))
        {
            _hang = null;
            _hangHit.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            served.Status = -1;
            return;
        }

        Fault? fault;
        lock (_faults)
        {
            fault = _faults.FirstOrDefault(f => f.Remaining > 0 && f.Match(context.Request));
            if (fault is not null)
            {
                fault.Remaining--;
            }
        }

        if (fault is not null)
        {
            context.Response.StatusCode = fault.Status;
            if (fault.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = fault.RetryAfter;
            }

            await context.Response.WriteAsJsonAsync(new { error = new { code = fault.Status == 429 ? "AF429" : "ServiceUnavailable", message = "Too many requests or the service is busy." } });
            served.Status = fault.Status;
            return;
        }

        await next();
        served.Status = context.Response.StatusCode;
        served.Items = context.Items.TryGetValue("items", out object? items) ? (int)items! : 0;
    }

    private async Task<IResult> TokenAsync(string tid, HttpRequest request)
    {
        IFormCollection form = await request.ReadFormAsync();
        string clientId = form["client_id"].ToString();
        if (form["grant_type"] != "client_credentials")
        {
            return AadError(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.");
        }

        if (!_apps.TryGetValue(tid, out (string ClientId, string Secret) app))
        {
            return AadError(400, "invalid_request", $"AADSTS90002: Tenant '{tid}' not found.");
        }

        if (!string.Equals(app.ClientId, clientId, StringComparison.OrdinalIgnoreCase))
        {
            return AadError(400, "unauthorized_client", $"AADSTS700016: Application with identifier '{clientId}' was not found in the directory.");
        }

        if (form["client_secret"] != app.Secret)
        {
            return AadError(401, "invalid_client", $"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.");
        }

        string scope = form["scope"].ToString();
        if (scope != ManagementUrl + "/.default" && scope != GraphUrl + "/.default")
        {
            return AadError(400, "invalid_scope", $"AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope {scope} is not valid.");
        }

        string token = "fake." + Guid.NewGuid().ToString("N");
        _tokens[token] = (tid, scope);
        return Results.Json(new Dictionary<string, object> { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["ext_expires_in"] = 3599, ["access_token"] = token });
    }

    private IResult ListSubscriptions(string tid, HttpRequest request)
    {
        if (Unauthorized(request, tid, ManagementUrl) is { } refused)
        {
            return refused;
        }

        return Results.Json(HideSubscriptions ? [] : _subscriptions.Where(s => s.Key.Tid == tid && s.Value).Select(s => new { contentType = s.Key.Type, status = "enabled", webhook = (object?)null }).ToArray());
    }

    private IResult StartSubscription(string tid, HttpRequest request)
    {
        if (Unauthorized(request, tid, ManagementUrl) is { } refused)
        {
            return refused;
        }

        string type = request.Query["contentType"].ToString();
        return !_subscriptions.TryAdd((tid, type), true)
            ? ApiError(400, "AF20024", "The subscription is already enabled. No property change.")
            : Results.Json(new { contentType = type, status = "enabled", webhook = (object?)null });
    }

    private IResult ListContent(string tid, HttpContext context)
    {
        HttpRequest request = context.Request;
        if (Unauthorized(request, tid, ManagementUrl) is { } refused)
        {
            return refused;
        }

        string type = request.Query["contentType"].ToString();
        if (!_subscriptions.ContainsKey((tid, type)))
        {
            return ApiError(400, "AF20022", "No subscription found for the specified content type.");
        }

        if (!TryTime(request.Query["startTime"], out DateTimeOffset start) || !TryTime(request.Query["endTime"], out DateTimeOffset end) || end <= start || end - start > TimeSpan.FromHours(24))
        {
            return ApiError(400, "AF20055", "Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time no more than 7 days in the past.");
        }

        if (start < DateTimeOffset.UtcNow - TimeSpan.FromDays(7))
        {
            return ApiError(400, "AF20055", "StartTime cannot be more than 7 days in the past.");
        }

        List<Content> listed;
        lock (_content)
        {
            listed = [.. _content.Where(c => c.Tid == tid && c.Type == type && c.Created >= start && c.Created < end).OrderBy(c => c.Created)];
        }

        int offset = int.TryParse(request.Query["nextPage"], CultureInfo.InvariantCulture, out int n) ? n : 0;
        List<Content> page = [.. listed.Skip(offset).Take(ListingPageSize)];
        if (offset + ListingPageSize < listed.Count)
        {
            string query = $"contentType={type}&startTime={request.Query["startTime"]}&endTime={request.Query["endTime"]}&nextPage={offset + ListingPageSize}";
            context.Response.Headers["NextPageUri"] = $"{ManagementUrl}/api/v1.0/{tid}/activity/feed/subscriptions/content?{query}";
        }

        context.Items["items"] = page.Count;
        return Results.Json(page.Select(c => new
        {
            contentType = c.Type,
            contentId = c.Id,
            contentUri = c.Uri ?? $"{ManagementUrl}/api/v1.0/{tid}/activity/feed/audit/{c.Id}",
            contentCreated = c.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            contentExpiration = c.Created.AddDays(7).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        }).ToArray());
    }

    private IResult Blob(string tid, string id, HttpRequest request)
    {
        if (Unauthorized(request, tid, ManagementUrl) is { } refused)
        {
            return refused;
        }

        Content? content;
        lock (_content)
        {
            content = _content.FirstOrDefault(c => c.Tid == tid && c.Id == id);
        }

        return content is null ? ApiError(404, "AF20051", "Content requested with the key does not exist.") : Results.Bytes(content.Blob, "application/json");
    }

    private IResult SignIns(HttpContext context)
    {
        HttpRequest request = context.Request;
        if (Unauthorized(request, null, GraphUrl) is { } refused)
        {
            return refused;
        }

        string tid = _tokens[Bearer(request)!].Tid;
        string filter = request.Query["$filter"].ToString();
        DateTimeOffset from = DateTimeOffset.MinValue;
        if (filter.Length > 0)
        {
            Match match = GeFilter().Match(filter);
            if (!match.Success || !DateTimeOffset.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out from))
            {
                return ApiError(400, "Request_UnsupportedQuery", $"Unsupported or invalid query filter clause specified for property 'createdDateTime' of resource 'SignIn'.");
            }
        }

        List<JsonObject> all = [.. _signIns.GetValueOrDefault(tid, []).Where(s => Created(s) >= from).OrderByDescending(Created)];
        int offset = int.TryParse(request.Query["$skiptoken"].ToString().TrimStart('o'), CultureInfo.InvariantCulture, out int n) ? n : 0;
        var page = new JsonObject
        {
            ["@odata.context"] = $"{GraphUrl}/v1.0/$metadata#auditLogs/signIns",
            ["value"] = new JsonArray([.. all.Skip(offset).Take(GraphPageSize).Select(s => s.DeepClone())]),
        };
        if (offset + GraphPageSize < all.Count)
        {
            page["@odata.nextLink"] = $"{GraphUrl}/v1.0/auditLogs/signIns?$filter={Uri.EscapeDataString(filter)}&$skiptoken=o{offset + GraphPageSize}";
        }

        context.Items["items"] = Math.Max(0, Math.Min(GraphPageSize, all.Count - offset));
        return Results.Text(page.ToJsonString(), "application/json");
    }

    private static DateTimeOffset Created(JsonObject signIn) => DateTimeOffset.Parse(signIn["createdDateTime"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    /// <summary>401 unless the bearer token was issued for <paramref name="api"/> (and for the tenant in the path).</summary>
    private IResult? Unauthorized(HttpRequest request, string? tid, string api) =>
        Bearer(request) is { } token && _tokens.TryGetValue(token, out (string Tid, string Scope) issued) && issued.Scope == api + "/.default" && (tid is null || string.Equals(issued.Tid, tid, StringComparison.OrdinalIgnoreCase))
            ? null
            : ApiError(401, "InvalidAuthenticationToken", "Access token validation failure.");

    private static string? Bearer(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;

    private static bool TryTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);

    private static IResult ApiError(int status, string code, string message) => Results.Json(new { error = new { code, message } }, statusCode: status);

    private static IResult AadError(int status, string error, string description) =>
        Results.Json(new Dictionary<string, object> { ["error"] = error, ["error_description"] = description, ["error_codes"] = new[] { int.Parse(description[6..description.IndexOf(':', StringComparison.Ordinal)], CultureInfo.InvariantCulture) } }, statusCode: status);

    [GeneratedRegex(@"^createdDateTime ge (\S+)$")]
    private static partial Regex GeFilter();

    private sealed record Content(string Tid, string Type, string Id, DateTimeOffset Created, byte[] Blob, string? Uri);

    private sealed record Fault(Func<HttpRequest, bool> Match, int Status, string? RetryAfter)
    {
        public int Remaining { get; set; }
    }
}

/// <summary>A request the fake received: its status (-1 when it was held until the client gave up) and, for
/// listings and sign-in pages, how many items it returned.</summary>
internal sealed record Served(string Method, string Path, string Query, DateTimeOffset At)
{
    public int Status { get; set; }

    public int Items { get; set; }
}
