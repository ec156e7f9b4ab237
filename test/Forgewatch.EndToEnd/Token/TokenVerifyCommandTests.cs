using System.Text.Json;

namespace Forgewatch.EndToEnd.Token;

/// <summary><c>forgewatch token verify</c> as a user runs it: verdicts, exit codes, JSON output, standard input,
/// and the key-loading errors.</summary>
public sealed class TokenVerifyCommandTests(TokenFixture keys) : IClassFixture<TokenFixture>
{
    [Fact]
    public void Verify_ValidToken_ExitZeroAndJsonVerdictValid()
    {
        CliResult result = CliRunner.Run("token", "verify", "--policy", keys.PolicyFile, "--json", keys.ValidToken());

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement root = json.RootElement;
        Assert.Equal("valid", root.GetProperty("verdict").GetString());
        Assert.Equal("valid", root.GetProperty("reason").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("message").GetString()));
        JsonElement details = root.GetProperty("details");
        Assert.Equal(TokenFixture.OrganizationsKid, details.GetProperty("keyId").GetString());
        Assert.Equal("Entra ID organizations", details.GetProperty("keyOwner").GetString());
        Assert.Equal(TokenFixture.CustomerIssuer, details.GetProperty("issuer").GetString());
        Assert.Equal(TokenFixture.CustomerTenant, details.GetProperty("tenant").GetString());
        Assert.Equal(TokenFixture.Audience, details.GetProperty("audience").GetString());
        Assert.Equal("ES256", details.GetProperty("algorithm").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", details.GetProperty("expiresAt").GetString());
        // Nulls are left out.
        Assert.False(details.TryGetProperty("application", out _));
        Assert.False(details.TryGetProperty("allowedIssuers", out _));
    }

    [Fact]
    public void Verify_ValidToken_TextNamesVerdictReasonAndDetails()
    {
        CliResult result = CliRunner.Run("token", "verify", "--policy", keys.PolicyFile, keys.ValidToken());

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        string[] lines = result.Stdout.Split('\n');
        Assert.Equal("VALID (valid)", lines[0]);
        Assert.Contains("key:", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\n  owner:\s+Entra ID organizations\n", result.Stdout);
        Assert.Matches($@"\n  tenant:\s+{TokenFixture.CustomerTenant}\n", result.Stdout);
        Assert.Contains("expires:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TamperedSignature_ExitOneBadSignature()
    {
        CliResult result = CliRunner.Run("token", "verify", "--policy", keys.PolicyFile, "--json", keys.TamperedToken());

        Assert.Equal(1, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("invalid", json.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("bad_signature", json.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public void Verify_ConsumerKeySigningForCustomerTenant_ExitThreeForgedIssuerOutOfScope()
    {
        CliResult result = CliRunner.Run("token", "verify", "--policy", keys.PolicyFile, "--json", keys.ForgedToken());

        Assert.Equal(3, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        JsonElement root = json.RootElement;
        Assert.Equal("forged", root.GetProperty("verdict").GetString());
        Assert.Equal("issuer_out_of_scope", root.GetProperty("reason").GetString());
        JsonElement details = root.GetProperty("details");
        Assert.Equal(TokenFixture.ConsumerKid, details.GetProperty("keyId").GetString());
        Assert.Equal("Microsoft consumer accounts (MSA)", details.GetProperty("keyOwner").GetString());
        Assert.Equal(TokenFixture.CustomerTenant, details.GetProperty("tenant").GetString());
        Assert.Equal(TokenFixture.ConsumerIssuer, Assert.Single(details.GetProperty("allowedIssuers").EnumerateArray()).GetString());
    }

    [Fact]
    public void Verify_ForgedToken_TextSaysForged()
    {
        CliResult result = CliRunner.Run("token", "verify", "--policy", keys.PolicyFile, keys.ForgedToken());

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("FORGED (issuer_out_of_scope)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("may sign for:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TokenFromStandardInput_TrimmedAndVerified()
    {
        CliResult result = CliRunner.RunWith("  " + keys.ValidToken() + "\r\n\n", null, "token", "verify", "--policy", keys.PolicyFile, "--json", "-");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("valid", json.RootElement.GetProperty("verdict").GetString());
    }

    [Fact]
    public void Verify_EmptyStandardInput_ExitTwo()
    {
        CliResult result = CliRunner.RunWith("\n", null, "token", "verify", "--policy", keys.PolicyFile, "-");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("standard input holds no token", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_JwksWithoutPolicy_KeysUnboundSoSignatureDecides()
    {
        // Without a policy nothing binds the keys: the consumer key's token for a customer tenant is only
        // "valid", and a warning says why no forgery can be seen.
        CliResult result = CliRunner.Run("token", "verify", "--jwks", keys.JwksFile, "--json", keys.ForgedToken());

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("have no scope", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_NoPolicyNoJwks_ExitTwoSaysWhatIsNeeded()
    {
        CliResult result = CliRunner.Run("token", "verify", keys.ValidToken());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--policy", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--jwks", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public void Verify_JwksOverHttp_ExitTwoHttpsOnly()
    {
        CliResult result = CliRunner.Run("token", "verify", "--jwks", "http://login.example.com/keys", keys.ValidToken());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("HTTPS only", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_MissingPolicyFile_ExitTwo()
    {
        CliResult result = CliRunner.Run("token", "verify", "--policy", Path.Combine(keys.Folder, "nope.json"), keys.ValidToken());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no such policy file", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_BadPolicyFile_ExitTwoNamesTheProblem()
    {
        string policy = Path.Combine(keys.Folder, "misspelt.json");
        File.WriteAllText(policy, "{\"keySets\": [{\"file\": \"keys.json\"}], \"audience\": [\"x\"]}");

        CliResult result = CliRunner.Run("token", "verify", "--policy", policy, keys.ValidToken());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown member \"audience\"", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ExpiredToken_ExitOneExpired_ButValidAtATimeBeforeExpiry()
    {
        DateTimeOffset issued = DateTimeOffset.UtcNow.AddHours(-3);
        string token = keys.SignEc(TokenFixture.Claims(TokenFixture.CustomerIssuer, TokenFixture.CustomerTenant, issued));

        CliResult now = CliRunner.Run("token", "verify", "--policy", keys.PolicyFile, "--json", token);
        CliResult then = CliRunner.Run("token", "verify", "--policy", keys.PolicyFile, "--json", "--at", issued.AddMinutes(30).ToString("O"), token);

        Assert.Equal(1, now.ExitCode);
        using (JsonDocument json = JsonDocument.Parse(now.Stdout))
        {
            Assert.Equal("expired", json.RootElement.GetProperty("reason").GetString());
        }

        Assert.True(then.ExitCode == 0, then.Stdout + then.Stderr);
    }

    [Fact]
    public void Verify_AudienceOption_OverridesThePolicyAndKeepsScopes()
    {
        CliResult wrong = CliRunner.Run("token", "verify", "--policy", keys.PolicyFile, "--audience", "api://other", "--json", keys.ValidToken());
        CliResult right = CliRunner.Run("token", "verify", "--policy", keys.PolicyFile, "--audience", "api://other", "--audience", TokenFixture.Audience, keys.ValidToken());
        CliResult forged = CliRunner.Run("token", "verify", "--policy", keys.PolicyFile, "--audience", TokenFixture.Audience, keys.ForgedToken());

        Assert.Equal(1, wrong.ExitCode);
        using (JsonDocument json = JsonDocument.Parse(wrong.Stdout))
        {
            Assert.Equal("wrong_audience", json.RootElement.GetProperty("reason").GetString());
        }

        Assert.True(right.ExitCode == 0, right.Stdout + right.Stderr);
        Assert.Equal(3, forged.ExitCode);
    }

    [Fact]
    public void Verify_HostileClaimsInValidToken_NoControlCharacterReachesTheTerminal()
    {
        string token = keys.SignEc(TokenFixture.Claims(TokenFixture.CustomerIssuer, TokenFixture.CustomerTenant, subject: "evil\u001b]0;pwned\u0007\u001b[31mRED\u202Etxt"));

        CliResult text = CliRunner.Run("token", "verify", "--policy", keys.PolicyFile, token);
        CliResult json = CliRunner.Run("token", "verify", "--policy", keys.PolicyFile, "--json", token);

        Assert.True(text.ExitCode == 0, text.Stdout + text.Stderr);
        Assert.DoesNotContain('\u001b', text.Stdout);
        Assert.DoesNotContain('\u0007', text.Stdout);
        Assert.DoesNotContain('\u202E', text.Stdout);
        Assert.Contains("evil?]0;pwned??[31mRED?txt", text.Stdout, StringComparison.Ordinal);
        // JSON escapes them, and keeps the claim as written.
        Assert.DoesNotContain('\u001b', json.Stdout);
        using JsonDocument parsed = JsonDocument.Parse(json.Stdout);
        Assert.Equal("evil\u001b]0;pwned\u0007\u001b[31mRED\u202Etxt", parsed.RootElement.GetProperty("details").GetProperty("subject").GetString());
    }
}
