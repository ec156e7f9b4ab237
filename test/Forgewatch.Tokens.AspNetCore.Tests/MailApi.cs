using Forgewatch.Tokens.Verification;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Forgewatch.Tokens.AspNetCore.Tests;

/// <summary>
/// A real minimal API on Kestrel, on a free port of 127.0.0.1: <c>GET /mail</c> requires an authenticated
/// user and answers with its subject. JwtBearer trusts both test keys for the victim tenant's issuer and the
/// consumer issuer; with a verifier, key scope is enforced on top.
/// </summary>
internal sealed class MailApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MailApi(WebApplication app, CapturedLogs logs, Uri address)
    {
        _app = app;
        Logs = logs;
        Client = new HttpClient { BaseAddress = address };
    }

    public HttpClient Client { get; }

    public CapturedLogs Logs { get; }

    /// <summary>Starts the API, enforcing key scope with <paramref name="verifier"/> if given.</summary>
    public static async Task<MailApi> StartAsync(TokenVerifier? verifier, Action<JwtBearerOptions>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            EnvironmentName = Environments.Production,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var logs = new CapturedLogs();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddAuthorization();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuers = [TestKeys.VictimIssuer, TestKeys.ConsumerIssuer],
                ValidAudience = TestKeys.Audience,
                IssuerSigningKeys = TestKeys.SecurityKeys,
            };
            configure?.Invoke(options);
            if (verifier is not null)
            {
                options.EnforceKeyScope(verifier);
            }
        });

        WebApplication app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/mail", (HttpContext http) => Results.Text($"mail of {http.User.FindFirst("sub")?.Value}")).RequireAuthorization();
        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
            string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            return new MailApi(app, logs, new Uri(address));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>GET /mail with <paramref name="token"/> as the bearer token, or with none.</summary>
    public async Task<HttpResponseMessage> GetMailAsync(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/mail");
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
