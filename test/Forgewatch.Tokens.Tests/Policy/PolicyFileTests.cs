using Forgewatch.Tokens.Policy;
using Forgewatch.Tokens.Sources;
using Forgewatch.Tokens.Tests.Sources;
using Forgewatch.Tokens.Verdicts;
using Forgewatch.Tokens.Verification;
using static Forgewatch.Tokens.Tests.TestTokens;

namespace Forgewatch.Tokens.Tests.Policy;

public sealed class PolicyFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("forgewatch-policy-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Load_FileKeySetsScopesRulesAndSettings_AllApplied()
    {
        WriteJwks("keys/tenant.json", RsaJwk(Rsa, "tenant-key"));
        WriteJwks("consumer.json", RsaJwk(Rsa2, "msa-key"));
        string policy = Write("policy.json", $$"""
            {
              "$comment": "test policy",
              "audiences": ["api://mail"],
              "clockSkewSeconds": 60,
              "maxLifetimeMinutes": 120,
              "keySets": [
                { "file": "keys/tenant.json", "scope": { "owner": "Entra", "issuers": ["{{TenantTemplate}}"] } },
                { "file": "consumer.json" }
              ],
              "keys": [
                { "kid": "msa-key", "owner": "MSA", "issuers": ["{{ConsumerIssuer}}"], "tenants": ["{{ConsumerTenant}}"], "retired": "2030-01-01T00:00:00Z" }
              ]
            }
            """);
        using var fetcher = new KeySetFetcher(new KeyFetchOptions());

        KeyScopePolicy loaded = await PolicyFile.LoadAsync(policy, fetcher, cancellationToken: TestContext.Current.CancellationToken);
        var verifier = new TokenVerifier(loaded);

        Assert.Equal(["api://mail"], loaded.Settings.Audiences);
        Assert.Equal(TimeSpan.FromSeconds(60), loaded.Settings.ClockSkew);
        Assert.Equal(TimeSpan.FromHours(2), loaded.Settings.MaxLifetime);
        Assert.Equal(VerdictKind.Valid, verifier.Verify(SignRsa(Rsa, "tenant-key", ClaimsOf(VictimIssuer, VictimTenant)), Now).Kind);
        TokenVerdict forged = verifier.Verify(SignRsa(Rsa2, "msa-key", ClaimsOf(VictimIssuer, VictimTenant)), Now);
        Assert.Equal(VerdictKind.Forged, forged.Kind);
        Assert.Equal("MSA", forged.Details!.KeyOwner);
        Assert.Equal(KeyScopePolicy.RuleOrigin, forged.Details.KeyScope);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), loaded.Keys.Single(k => k.Key.KeyId == "msa-key").Scope.Retired);
    }

    [Fact]
    public async Task Load_DiscoveryDocument_KeysWithoutIssuerBoundToTheDocumentsIssuer()
    {
        using var server = new FakeKeyServer(request => FakeKeyServer.Json(request.RequestUri!.AbsolutePath switch
        {
            "/contoso/.well-known/openid-configuration" => new { issuer = VictimIssuer, jwks_uri = "https://sts.example.com/contoso/keys" },
            _ => (object)new { keys = new[] { RsaJwk(Rsa, "plain"), RsaJwk(Rsa2, "own-issuer", issuer: ConsumerIssuer) } },
        }));
        string policy = Write("policy.json", """{ "keySources": { "allowedHosts": ["sts.example.com"] }, "keySets": [ { "discovery": "https://sts.example.com/contoso/.well-known/openid-configuration" } ] }""");
        using var fetcher = new KeySetFetcher(PolicyFile.ReadFetchOptions(policy), server);
        var verifier = new TokenVerifier(await PolicyFile.LoadAsync(policy, fetcher, cancellationToken: TestContext.Current.CancellationToken));
        string otherIssuer = "https://sts.example.com/other/";

        Assert.Equal(VerdictKind.Valid, verifier.Verify(SignRsa(Rsa, "plain", ClaimsOf(VictimIssuer, VictimTenant)), Now).Kind);
        TokenVerdict forged = verifier.Verify(SignRsa(Rsa, "plain", ClaimsOf(otherIssuer, VictimTenant)), Now);
        Assert.Equal((VerdictKind.Forged, KeyScopePolicy.DiscoveryOrigin), (forged.Kind, forged.Details!.KeyScope));
        Assert.Equal(VerdictKind.Valid, verifier.Verify(SignRsa(Rsa2, "own-issuer", ClaimsOf(ConsumerIssuer, ConsumerTenant)), Now).Kind);
        Assert.Equal(VerdictKind.Forged, verifier.Verify(SignRsa(Rsa2, "own-issuer", ClaimsOf(VictimIssuer, VictimTenant)), Now).Kind);
    }

    [Theory]
    [InlineData("""{ "audience": ["x"] }""", "unknown member \"audience\"")]
    [InlineData("""{ "keySets": [ { "file": "a.json", "url": "https://x/keys" } ] }""", "exactly one of")]
    [InlineData("""{ "keySets": [ { "file": "a.json", "scope": { "issuer": "x" } } ] }""", "unknown member \"issuer\"")]
    [InlineData("""{ "keys": [ { "kid": "a", "issuers": ["x"] }, { "kid": "a", "issuers": ["y"] } ] }""", "two keys rules")]
    [InlineData("""{ "keys": [ { "kid": "a", "retired": "soon" } ] }""", "not a date")]
    [InlineData("""{ "clockSkewSeconds": 3600 }""", "between 0 and 600")]
    [InlineData("""{ "maxTokenLength": 1e12 }""", "not a number between")]
    [InlineData("""{ "maxTokenLength": 10 }""", "between 64 and")]
    [InlineData("""{ "keySources": { "timeoutSeconds": 100000000 } }""", "between 1 and 600")]
    [InlineData("""{ "keySources": { "maxBytes": 0 } }""", "between 1024 and")]
    [InlineData("""{ "audiences": "x" }""", "not a list")]
    [InlineData("""{ "audiences": ["x"], "audiences": ["y"] }""", "twice")]
    [InlineData("""[1]""", "not an object")]
    public async Task Load_MistakesInThePolicy_ClearFormatError(string json, string message)
    {
        string policy = Write("bad.json", json);
        using var fetcher = new KeySetFetcher(new KeyFetchOptions());

        var error = await Assert.ThrowsAnyAsync<FormatException>(() => PolicyFile.LoadAsync(policy, fetcher, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_MissingKeyFile_KeySourceErrorNamingIt()
    {
        string policy = Write("policy.json", """{ "keySets": [ { "file": "nowhere.json" } ] }""");
        using var fetcher = new KeySetFetcher(new KeyFetchOptions());

        var error = await Assert.ThrowsAsync<KeySourceException>(() => PolicyFile.LoadAsync(policy, fetcher, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("nowhere.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFetchOptions_KeySourcesAndExtraHosts()
    {
        string policy = Write("policy.json", """{ "keySources": { "allowedHosts": ["login.microsoftonline.com"], "timeoutSeconds": 3, "maxBytes": 5000, "refreshMinutes": 5 } }""");

        KeyFetchOptions options = PolicyFile.ReadFetchOptions(policy, ["keys.example.com"]);

        Assert.Equal(["keys.example.com", "login.microsoftonline.com"], options.AllowedHosts);
        Assert.Equal(TimeSpan.FromSeconds(3), options.Timeout);
        Assert.Equal(5000, options.MaxBytes);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Refresh);
    }

    private void WriteJwks(string name, params Dictionary<string, object?>[] keys) =>
        Write(name, System.Text.Json.JsonSerializer.Serialize(new { keys }));

    private string Write(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
