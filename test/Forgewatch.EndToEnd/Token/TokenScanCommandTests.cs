using System.Text.Json;

namespace Forgewatch.EndToEnd.Token;

/// <summary><c>forgewatch token scan</c> over a log holding bearer and bare tokens among junk: verdicts.jsonl in
/// input order without the tokens, the summary, and the exit codes.</summary>
public sealed class TokenScanCommandTests(TokenFixture keys) : IClassFixture<TokenFixture>
{
    /// <summary>header {"alg":"none"}, payload {}, no signature.</summary>
    private const string UnsignedToken = "eyJhbGciOiJub25lIn0.e30.";

    [Fact]
    public void Scan_LogWithBearerAndBareTokens_VerdictsInOrderWithoutTokensAndExitThree()
    {
        string valid = keys.ValidToken();
        string forged = keys.ForgedToken();
        string tampered = keys.TamperedToken();
        string dir = Directory.CreateTempSubdirectory("fw-e2e-token-scan").FullName;
        string log = Path.Combine(dir, "gateway.log");
        File.WriteAllLines(log,
        [
            $"2024-05-01T10:00:00Z GET /v1.0/me/messages HTTP/1.1 Authorization: Bearer {valid} 200",
            "2024-05-01T10:00:01Z junk: eyJnotatoken, a.b.c, version 1.2.3, Bearer opaque-token-without-dots",
            $"2024-05-01T10:00:02Z token={forged} then header authorization: BEARER {tampered}.",
            string.Empty,
            $"{{\"headers\":{{\"authorization\":\"bearer {valid}\"}},\"status\":200}}",
            $"unsigned {UnsignedToken}",
            "the end",
        ]);
        string output = Path.Combine(dir, "out", "nested");

        CliResult result = CliRunner.RunWith(null, dir, "token", "scan", "--policy", keys.PolicyFile, "--out", output, "--threads", "2", "gateway.log");

        Assert.True(result.ExitCode == 3, result.Stdout + result.Stderr);
        string verdictsPath = Path.Combine(output, "verdicts.jsonl");
        string content = File.ReadAllText(verdictsPath);
        foreach (string token in (string[])[valid, forged, tampered])
        {
            Assert.DoesNotContain(token, content, StringComparison.Ordinal);
            Assert.DoesNotContain(token.Split('.')[2], content, StringComparison.Ordinal);
        }

        string[] lines = File.ReadAllLines(verdictsPath);
        Assert.Equal(5, lines.Length);
        JsonElement[] verdicts = [.. lines.Select(l => JsonDocument.Parse(l).RootElement)];
        (int Line, string Verdict, string Reason, string Token)[] expected =
        [
            (1, "valid", "valid", valid),
            (3, "forged", "issuer_out_of_scope", forged),
            (3, "invalid", "bad_signature", tampered),
            (5, "valid", "valid", valid),
            (6, "invalid", "alg_none", UnsignedToken),
        ];
        for (int i = 0; i < expected.Length; i++)
        {
            JsonElement v = verdicts[i];
            Assert.Equal("gateway.log", v.GetProperty("file").GetString());
            Assert.Equal(expected[i].Line, v.GetProperty("line").GetInt32());
            Assert.Equal(expected[i].Verdict, v.GetProperty("verdict").GetString());
            Assert.Equal(expected[i].Reason, v.GetProperty("reason").GetString());
            Assert.False(string.IsNullOrEmpty(v.GetProperty("message").GetString()));
            Assert.Equal(TokenFixture.Sha256Hex(expected[i].Token), v.GetProperty("tokenSha256").GetString());
        }

        Assert.True(verdicts[1].GetProperty("column").GetInt32() < verdicts[2].GetProperty("column").GetInt32());
        Assert.Equal(verdicts[0].GetProperty("tokenSha256").GetString(), verdicts[3].GetProperty("tokenSha256").GetString());
        JsonElement forgedDetails = verdicts[1].GetProperty("details");
        Assert.Equal(TokenFixture.ConsumerKid, forgedDetails.GetProperty("keyId").GetString());
        Assert.Equal(TokenFixture.CustomerTenant, forgedDetails.GetProperty("tenant").GetString());

        Assert.Contains("Token scan summary", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"Tokens found\s*│\s*5\b", result.Stdout);
        Assert.Matches(@"Distinct tokens\s*│\s*4\b", result.Stdout);
        Assert.Matches(@"Forged\s*│\s*1\b", result.Stdout);
        Assert.Contains("issuer_out_of_scope", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("gateway.log:3", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Microsoft consumer accounts (MSA)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(verdictsPath, result.Stdout, StringComparison.Ordinal);
        // Standard error is redirected: no progress line, no escape sequences.
        Assert.DoesNotContain('\u001b', result.Stderr);
    }

    [Fact]
    public void Scan_OnlyValidAndInvalid_ExitOne_OnlyValid_ExitZero()
    {
        string dir = Directory.CreateTempSubdirectory("fw-e2e-token-scan-exit").FullName;
        File.WriteAllText(Path.Combine(dir, "valid.log"), $"Authorization: Bearer {keys.ValidToken()}\n");
        File.WriteAllText(Path.Combine(dir, "mixed.log"), $"Authorization: Bearer {keys.ValidToken()}\nAuthorization: Bearer {keys.TamperedToken()}\n");

        CliResult validOnly = CliRunner.RunWith(null, dir, "token", "scan", "--policy", keys.PolicyFile, "--out", "a", "valid.log");
        CliResult mixed = CliRunner.RunWith(null, dir, "token", "scan", "--policy", keys.PolicyFile, "--out", "b", "valid.log", "mixed.log");

        Assert.True(validOnly.ExitCode == 0, validOnly.Stdout + validOnly.Stderr);
        Assert.True(mixed.ExitCode == 1, mixed.Stdout + mixed.Stderr);
        string[] files = [.. File.ReadAllLines(Path.Combine(dir, "b", "verdicts.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("file").GetString()!)];
        Assert.Equal(["valid.log", "mixed.log", "mixed.log"], files);
    }

    [Fact]
    public void Scan_ManyLines_OrderKeptAcrossParallelBatches()
    {
        string dir = Directory.CreateTempSubdirectory("fw-e2e-token-scan-many").FullName;
        using (var writer = new StreamWriter(Path.Combine(dir, "many.log")))
        {
            for (int i = 1; i <= 5000; i++)
            {
                // A subject per line: distinct tokens, each verified (none answered from the scan's cache).
                Dictionary<string, object> claims = TokenFixture.Claims(TokenFixture.CustomerIssuer, TokenFixture.CustomerTenant, subject: $"user-{i}");
                writer.WriteLine(i % 7 == 0 ? $"{i} Bearer {keys.SignRsa(claims)}" : $"{i} Bearer {keys.SignEc(claims)}");
            }
        }

        CliResult result = CliRunner.RunWith(null, dir, "token", "scan", "--policy", keys.PolicyFile, "--out", "out", "many.log");

        Assert.Equal(3, result.ExitCode);
        string[] lines = File.ReadAllLines(Path.Combine(dir, "out", "verdicts.jsonl"));
        Assert.Equal(5000, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            JsonElement v = JsonDocument.Parse(lines[i]).RootElement;
            Assert.Equal(i + 1, v.GetProperty("line").GetInt32());
            Assert.Equal((i + 1) % 7 == 0 ? "forged" : "valid", v.GetProperty("verdict").GetString());
        }

        Assert.Contains("the first 20 of 714", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_MissingFile_ExitTwo()
    {
        CliResult result = CliRunner.Run("token", "scan", "--policy", keys.PolicyFile, "--out", Path.GetTempPath(), "/nonexistent/forgewatch/tokens.log");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no such file or folder: /nonexistent/forgewatch/tokens.log", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_NoKeys_ExitTwo()
    {
        string file = Path.GetTempFileName();

        CliResult result = CliRunner.Run("token", "scan", "--out", Path.GetTempPath(), file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no keys", result.Stderr, StringComparison.Ordinal);
    }
}
