using Forgewatch.Tokens.Policy;
using Forgewatch.Tokens.Sources;
using Forgewatch.Tokens.Tests.Sources;
using Forgewatch.Tokens.Verdicts;
using Forgewatch.Tokens.Verification;
using static Forgewatch.Tokens.Tests.TestTokens;

namespace Forgewatch.Tokens.Tests.Verification;

public sealed class RefreshingVerifierTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("forgewatch-refresh-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Refresh_KeysRotatedAtTheUrl_NewKeyAcceptedOldPolicyKeptWhileTheServerIsDown()
    {
        CancellationToken cancel = TestContext.Current.CancellationToken;
        var clock = new ManualClock(Now);
        string served = "first";
        bool down = false;
        using var server = new FakeKeyServer(_ => down
            ? throw new HttpRequestException("Connection refused")
            : FakeKeyServer.Json(new { keys = new[] { served == "first" ? RsaJwk(Rsa, "first", issuer: TenantTemplate) : RsaJwk(Rsa2, "second", issuer: TenantTemplate) } }));
        string policy = Path.Combine(_folder, "policy.json");
        File.WriteAllText(policy, """{ "keySources": { "allowedHosts": ["keys.example.com"], "refreshMinutes": 60 }, "keySets": [ { "url": "https://keys.example.com/keys" } ] }""");
        using var fetcher = new KeySetFetcher(PolicyFile.ReadFetchOptions(policy), server, clock);
        var problems = new List<Exception>();
        await using RefreshingVerifier verifier = await RefreshingVerifier.StartAsync(c => PolicyFile.LoadAsync(policy, fetcher, cancellationToken: c), TimeSpan.FromHours(1), problems.Add, cancellationToken: cancel);
        string oldToken = SignRsa(Rsa, "first", ClaimsOf(VictimIssuer, VictimTenant));
        string newToken = SignRsa(Rsa2, "second", ClaimsOf(VictimIssuer, VictimTenant));

        Assert.Equal(VerdictKind.Valid, verifier.Current.Verify(oldToken, Now).Kind);
        Assert.Equal(Reasons.UnknownKey, verifier.Current.Verify(newToken, Now).Reason);

        served = "second";
        clock.Advance(TimeSpan.FromMinutes(61));
        Assert.True(await verifier.RefreshAsync(cancel));
        Assert.Equal(VerdictKind.Valid, verifier.Current.Verify(newToken, Now).Kind);
        Assert.Equal(Reasons.UnknownKey, verifier.Current.Verify(oldToken, Now).Reason);

        down = true;
        clock.Advance(TimeSpan.FromDays(3));
        Assert.False(await verifier.RefreshAsync(cancel));
        Assert.Equal(VerdictKind.Valid, verifier.Current.Verify(newToken, Now).Kind);
        Assert.Contains("still used", verifier.LastProblem, StringComparison.Ordinal);
        Assert.IsType<KeySourceException>(Assert.Single(problems));
    }

    [Fact]
    public async Task Start_ReloadsInTheBackgroundUntilDisposed_AndFailsWhenTheFirstLoadFails()
    {
        CancellationToken cancel = TestContext.Current.CancellationToken;
        int loads = 0;
        KeyScopePolicy policy = KeyScopePolicy.Create([Set("k", RsaJwk(Rsa, "k"))]);
        RefreshingVerifier verifier = await RefreshingVerifier.StartAsync(_ => { Interlocked.Increment(ref loads); return Task.FromResult(policy); }, TimeSpan.FromMilliseconds(20), cancellationToken: cancel);
        for (int wait = 0; wait < 500 && Volatile.Read(ref loads) < 4; wait++)
        {
            await Task.Delay(10, cancel);
        }

        await verifier.DisposeAsync();
        int afterDispose = Volatile.Read(ref loads);
        await Task.Delay(100, cancel);

        Assert.True(afterDispose >= 4, $"{afterDispose} loads");
        Assert.Equal(afterDispose, Volatile.Read(ref loads));
        await Assert.ThrowsAsync<KeySourceException>(() => RefreshingVerifier.StartAsync(_ => throw new KeySourceException("unreachable"), TimeSpan.FromMinutes(1), cancellationToken: cancel));
    }
}
