using Forgewatch.Testing;
using Forgewatch.Tokens.Policy;
using Forgewatch.Tokens.Sources;
using Forgewatch.Tokens.Tests.Sources;
using Forgewatch.Tokens.Verdicts;
using Forgewatch.Tokens.Verification;
using static Forgewatch.Tokens.Tests.TestTokens;

namespace Forgewatch.Tokens.Tests.Policy;

/// <summary>The documented example policy (docs/examples/entra-multitenant.policy.json) against key sets
/// shaped like Microsoft's published ones, served in process at Microsoft's URLs.</summary>
public class EntraExamplePolicyTests
{
    private const string Audience = "api://00000000-0000-0000-0000-000000000000";

    [Fact]
    public async Task ExamplePolicy_RefusesTheStorm0558TokenAndAcceptsGenuineOnes()
    {
        // As in 2023: the consumer key is also published where enterprise tokens' keys are looked up, and
        // its issuer member there is the tenant template, so a verifier without key scope accepts the forgery.
        using var server = new FakeKeyServer(request => request.RequestUri!.AbsolutePath switch
        {
            "/consumers/discovery/v2.0/keys" => FakeKeyServer.Json(new { keys = new[] { RsaJwk(Rsa2, "msa-key", issuer: ConsumerIssuer) } }),
            "/organizations/discovery/v2.0/keys" => FakeKeyServer.Json(new { keys = new[] { RsaJwk(Rsa, "org-key", issuer: TenantTemplate), RsaJwk(Rsa2, "msa-key", issuer: TenantTemplate) } }),
            _ => new HttpResponseMessage(System.Net.HttpStatusCode.NotFound),
        });
        string path = Path.Combine(RepositoryPaths.Root, "docs", "examples", "entra-multitenant.policy.json");
        using var fetcher = new KeySetFetcher(PolicyFile.ReadFetchOptions(path), server);
        var verifier = new TokenVerifier(await PolicyFile.LoadAsync(path, fetcher, cancellationToken: TestContext.Current.CancellationToken));

        TokenVerdict storm = verifier.Verify(SignRsa(Rsa2, "msa-key", ClaimsOf(VictimIssuer, VictimTenant, Audience)), Now);
        TokenVerdict organization = verifier.Verify(SignRsa(Rsa, "org-key", ClaimsOf(VictimIssuer, VictimTenant, Audience)), Now);
        TokenVerdict consumer = verifier.Verify(SignRsa(Rsa2, "msa-key", ClaimsOf(ConsumerIssuer, ConsumerTenant, Audience)), Now);
        TokenVerdict mixedUp = verifier.Verify(SignRsa(Rsa, "org-key", ClaimsOf(VictimIssuer, "11111111-2222-3333-4444-555555555555", Audience)), Now);

        Assert.Equal((VerdictKind.Forged, Reasons.IssuerOutOfScope), (storm.Kind, storm.Reason));
        Assert.Equal("Microsoft consumer accounts (MSA)", storm.Details!.KeyOwner);
        Assert.Equal(VerdictKind.Valid, organization.Kind);
        Assert.Equal(VerdictKind.Valid, consumer.Kind);
        Assert.Equal(VerdictKind.Forged, mixedUp.Kind);
        Assert.Equal(2, server.Requests);
    }
}
