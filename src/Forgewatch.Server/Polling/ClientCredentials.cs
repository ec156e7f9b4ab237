using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Forgewatch.Server.Polling;

/// <summary>
/// OAuth 2.0 client credentials for one API of one Entra tenant: <c>POST {LoginUrl}/{tenant}/oauth2/v2.0/token</c>
/// with the app's id and secret and the scope <c>{api}/.default</c>. The token is kept until shortly before it
/// expires. A refusal (an <c>AADSTS</c> error) throws <see cref="TokenRefusedException"/> with the server's
/// error text, never the secret. One source's loop uses it at a time: not thread-safe.
/// </summary>
internal sealed class ClientCredentials(PollerOptions options, string scope, PollHttp http, PollerTiming timing, TimeProvider time)
{
    private string? _token;
    private DateTimeOffset _renewAt;

    public string Scope => scope;

    /// <summary>The scope of an API at <paramref name="apiUrl"/>: <c>https://manage.office.com/.default</c>,
    /// <c>https://graph.microsoft.com/.default</c> (or a national cloud's own).</summary>
    public static string ScopeOf(string apiUrl) => apiUrl.TrimEnd('/') + "/.default";

    /// <summary>A token that has not expired, from the token endpoint when none is kept.</summary>
    public async ValueTask<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (_token is not null && time.GetUtcNow() < _renewAt)
        {
            return _token;
        }

        _token = null;
        var endpoint = new Uri($"{options.LoginUrl.TrimEnd('/')}/{Uri.EscapeDataString(options.DirectoryTenantId)}/oauth2/v2.0/token");
        ApiResponse response = await http.SendAsync(
            "token request",
            _ => ValueTask.FromResult(new HttpRequestMessage(HttpMethod.Post, endpoint)
            {
                Content = new FormUrlEncodedContent(
                [
                    new("grant_type", "client_credentials"),
                    new("client_id", options.ClientId),
                    new("client_secret", options.ClientSecret),
                    new("scope", scope),
                ]),
            }),
            null,
            cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            throw new TokenRefusedException($"the token endpoint refused the client credentials for {scope}: {Redacted(response.Describe())}");
        }

        (string token, TimeSpan lifetime) = Parse(response.Body);
        TimeSpan early = lifetime / 2 < timing.TokenRenewBefore ? lifetime / 2 : timing.TokenRenewBefore;
        _renewAt = time.GetUtcNow() + lifetime - early;
        _token = token;
        return token;
    }

    /// <summary>Drops the kept token (an API answered 401 to it): the next request gets a new one.</summary>
    public ValueTask RenewAsync(CancellationToken cancellationToken)
    {
        _token = null;
        return ValueTask.CompletedTask;
    }

    /// <summary>A request to an API with the bearer token.</summary>
    public async ValueTask<HttpRequestMessage> AuthorizedAsync(HttpMethod method, Uri uri, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(cancellationToken).ConfigureAwait(false));
        return request;
    }

    /// <summary>Token endpoints do not echo secrets, but the text goes to logs: make sure.</summary>
    private string Redacted(string text) => options.ClientSecret.Length == 0 ? text : text.Replace(options.ClientSecret, "***", StringComparison.Ordinal);

    private static (string Token, TimeSpan Lifetime) Parse(byte[] body)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            string? token = root.TryGetProperty("access_token", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            long seconds = !root.TryGetProperty("expires_in", out JsonElement e) ? 0
                : e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long n) ? n
                : e.ValueKind == JsonValueKind.String && long.TryParse(e.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out long s) ? s
                : 0;
            return string.IsNullOrEmpty(token) || seconds <= 0
                ? throw new PollFailedException("the token endpoint's answer has no access_token or expires_in.")
                : (token, TimeSpan.FromSeconds(Math.Min(seconds, 86_400)));
        }
        catch (JsonException)
        {
            throw new PollFailedException("the token endpoint's answer is not JSON.");
        }
    }
}
