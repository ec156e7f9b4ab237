using System.Net;
using Forgewatch.Tokens.Verdicts;
using Forgewatch.Tokens.Verification;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Logging;

namespace Forgewatch.Tokens.AspNetCore.Tests;

/// <summary>
/// Key-scope enforcement on a real API over HTTP. The forgery is Storm-0558's: the consumer (MSA) signing key,
/// which JwtBearer trusts because it is in the published key set, signs a token claiming an enterprise
/// tenant's issuer. JwtBearer alone lets it in; with <see cref="KeyScopeEnforcement.EnforceKeyScope(JwtBearerOptions, TokenVerifier)"/> it is
/// refused and logged as forged.
/// </summary>
public class KeyScopeEnforcementTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TenantKey_TokenForItsTenant_200(bool securityTokenValidators)
    {
        await using MailApi api = await MailApi.StartAsync(TestKeys.Verifier(), o => o.UseSecurityTokenValidators = securityTokenValidators);

        using HttpResponseMessage response = await api.GetMailAsync(TestKeys.Token(TestKeys.TenantKey, TestKeys.TenantKeyId, TestKeys.VictimIssuer, TestKeys.VictimTenant, "alice"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("mail of alice", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Empty(api.Logs.In(KeyScopeEnforcement.LoggerCategory));
    }

    [Fact]
    public async Task ConsumerKey_ConsumerToken_200()
    {
        await using MailApi api = await MailApi.StartAsync(TestKeys.Verifier());

        using HttpResponseMessage response = await api.GetMailAsync(TestKeys.Token(TestKeys.ConsumerKey, TestKeys.ConsumerKeyId, TestKeys.ConsumerIssuer, TestKeys.ConsumerTenant));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConsumerKey_TokenForVictimTenant_JwtBearerAloneAccepts_EnforcementRefusesAsForged(bool securityTokenValidators)
    {
        string forged = TestKeys.Token(TestKeys.ConsumerKey, TestKeys.ConsumerKeyId, TestKeys.VictimIssuer, TestKeys.VictimTenant, "victim-ceo");
        await using MailApi unprotected = await MailApi.StartAsync(null, o => o.UseSecurityTokenValidators = securityTokenValidators);
        await using MailApi api = await MailApi.StartAsync(TestKeys.Verifier(), o => o.UseSecurityTokenValidators = securityTokenValidators);

        using HttpResponseMessage control = await unprotected.GetMailAsync(forged);
        using HttpResponseMessage response = await api.GetMailAsync(forged);

        Assert.Equal(HttpStatusCode.OK, control.StatusCode);
        Assert.Equal("mail of victim-ceo", await control.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("invalid_token", challenge.Parameter, StringComparison.Ordinal);
        Assert.DoesNotContain(TestKeys.VictimTenant, challenge.Parameter, StringComparison.Ordinal);
        Assert.Equal("", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        LogEntry entry = Assert.Single(api.Logs.In(KeyScopeEnforcement.LoggerCategory));
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal("ForgedToken", entry.EventId.Name);
        Assert.Contains("forged", entry.Message, StringComparison.Ordinal);
        Assert.Contains(Reasons.IssuerOutOfScope, entry.Message, StringComparison.Ordinal);
        Assert.Equal(Reasons.IssuerOutOfScope, entry.Values["Reason"]);
        Assert.Equal(TestKeys.ConsumerKeyId, entry.Values["KeyId"]);
        Assert.Equal("Microsoft consumer accounts (MSA)", entry.Values["KeyOwner"]);
        AssertShown(TestKeys.VictimIssuer, entry.Values["Issuer"]);
        Assert.Equal(TestKeys.VictimTenant, entry.Values["Tenant"]);
        Assert.Empty(unprotected.Logs.In(KeyScopeEnforcement.LoggerCategory));
    }

    [Fact]
    public async Task RefreshingVerifier_PolicyReloaded_KeyAddedLaterAcceptedForgeryStillRefused()
    {
        // The first policy knows only the tenant key; the reload adds the consumer key, bound to its issuer.
        int loads = 0;
        await using RefreshingVerifier refreshing = await RefreshingVerifier.StartAsync(
            _ => Task.FromResult((Interlocked.Increment(ref loads) == 1 ? TestKeys.Verifier(withConsumerKey: false) : TestKeys.Verifier()).Policy),
            TimeSpan.FromHours(1),
            cancellationToken: TestContext.Current.CancellationToken);
        await using MailApi api = await MailApi.StartAsync(null, o => o.EnforceKeyScope(refreshing));
        string consumer = TestKeys.Token(TestKeys.ConsumerKey, TestKeys.ConsumerKeyId, TestKeys.ConsumerIssuer, TestKeys.ConsumerTenant);
        string forged = TestKeys.Token(TestKeys.ConsumerKey, TestKeys.ConsumerKeyId, TestKeys.VictimIssuer, TestKeys.VictimTenant);

        using HttpResponseMessage before = await api.GetMailAsync(consumer);
        await refreshing.RefreshAsync(TestContext.Current.CancellationToken);
        using HttpResponseMessage after = await api.GetMailAsync(consumer);
        using HttpResponseMessage forgery = await api.GetMailAsync(forged);

        Assert.Equal(HttpStatusCode.Unauthorized, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forgery.StatusCode);
    }

    /// <summary>Refusal details quote the token's claims bounded in length (a clipped value ends in an
    /// ellipsis); the logged value is <paramref name="expected"/> or its start.</summary>
    private static void AssertShown(string expected, object? logged)
    {
        string text = Assert.IsType<string>(logged);
        if (text != expected)
        {
            Assert.EndsWith("…", text, StringComparison.Ordinal);
            Assert.StartsWith(text[..^1], expected, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ConsumerKey_ConsumerIssuerWithVictimTenant_RefusedAsTenantOutOfScope()
    {
        await using MailApi api = await MailApi.StartAsync(TestKeys.Verifier());

        using HttpResponseMessage response = await api.GetMailAsync(TestKeys.Token(TestKeys.ConsumerKey, TestKeys.ConsumerKeyId, TestKeys.ConsumerIssuer, TestKeys.VictimTenant));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        LogEntry entry = Assert.Single(api.Logs.In(KeyScopeEnforcement.LoggerCategory));
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal(Reasons.TenantOutOfScope, entry.Values["Reason"]);
    }

    [Fact]
    public async Task NoToken_401()
    {
        await using MailApi api = await MailApi.StartAsync(TestKeys.Verifier());

        using HttpResponseMessage response = await api.GetMailAsync(null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Empty(api.Logs.In(KeyScopeEnforcement.LoggerCategory));
    }

    [Fact]
    public async Task KeyJwtBearerTrustsButPolicyLacks_RefusedAsInvalid_LoggedAtInformation()
    {
        await using MailApi api = await MailApi.StartAsync(TestKeys.Verifier(withConsumerKey: false));

        using HttpResponseMessage response = await api.GetMailAsync(TestKeys.Token(TestKeys.ConsumerKey, TestKeys.ConsumerKeyId, TestKeys.ConsumerIssuer, TestKeys.ConsumerTenant));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        LogEntry entry = Assert.Single(api.Logs.In(KeyScopeEnforcement.LoggerCategory));
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal("InvalidToken", entry.EventId.Name);
        Assert.Equal(Reasons.UnknownKey, entry.Values["Reason"]);
    }

    [Fact]
    public async Task ExistingOnTokenValidated_Chained_RunsForTokensInScopeOnly()
    {
        var seen = new List<string?>();
        await using MailApi api = await MailApi.StartAsync(TestKeys.Verifier(), o => o.Events.OnTokenValidated = context =>
        {
            lock (seen)
            {
                seen.Add(context.Principal?.FindFirst("sub")?.Value);
            }

            return Task.CompletedTask;
        });

        using HttpResponseMessage valid = await api.GetMailAsync(TestKeys.Token(TestKeys.TenantKey, TestKeys.TenantKeyId, TestKeys.VictimIssuer, TestKeys.VictimTenant, "alice"));
        using HttpResponseMessage forged = await api.GetMailAsync(TestKeys.Token(TestKeys.ConsumerKey, TestKeys.ConsumerKeyId, TestKeys.VictimIssuer, TestKeys.VictimTenant, "mallory"));

        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(["alice"], seen);
    }

    [Fact]
    public async Task ExistingOnTokenValidated_ItsFailureStands()
    {
        await using MailApi api = await MailApi.StartAsync(TestKeys.Verifier(), o => o.Events.OnTokenValidated = context =>
        {
            context.Fail("The application refuses everyone.");
            return Task.CompletedTask;
        });

        using HttpResponseMessage response = await api.GetMailAsync(TestKeys.Token(TestKeys.TenantKey, TestKeys.TenantKeyId, TestKeys.VictimIssuer, TestKeys.VictimTenant));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public void EnforceKeyScope_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>("verifier", () => new JwtBearerOptions().EnforceKeyScope((TokenVerifier)null!));
        Assert.Throws<ArgumentNullException>("options", () => KeyScopeEnforcement.EnforceKeyScope(null!, TestKeys.Verifier()));
    }

    [Fact]
    public void EnforceKeyScope_EventsFromDependencyInjection_Throws()
    {
        TokenVerifier verifier = TestKeys.Verifier();
        var options = new JwtBearerOptions { EventsType = typeof(JwtBearerEvents) };

        Assert.Throws<InvalidOperationException>(() => options.EnforceKeyScope(verifier));
    }

    [Fact]
    public void EnforceKeyScope_ReturnsTheOptions()
    {
        TokenVerifier verifier = TestKeys.Verifier();
        var options = new JwtBearerOptions();

        Assert.Same(options, options.EnforceKeyScope(verifier));
    }
}
