using System.Net;
using Forgewatch.Tokens.Keys;
using Forgewatch.Tokens.Sources;
using static Forgewatch.Tokens.Tests.TestTokens;

namespace Forgewatch.Tokens.Tests.Sources;

public class KeySetFetcherTests
{
    private static readonly Uri KeysUrl = new("https://login.example.com/common/keys");
    private static readonly KeyFetchOptions Options = new() { AllowedHosts = ["login.example.com"], Timeout = TimeSpan.FromSeconds(2), MaxBytes = 64 * 1024 };

    [Fact]
    public async Task GetKeySet_AllowedHttpsHost_ReadsTheSet()
    {
        using var server = new FakeKeyServer(_ => FakeKeyServer.Json(new { keys = new[] { RsaJwk(Rsa, "k1") } }));
        using var fetcher = new KeySetFetcher(Options, server);

        KeySet set = await fetcher.GetKeySetAsync(KeysUrl, TestContext.Current.CancellationToken);

        Assert.Equal("k1", Assert.Single(set.Keys).KeyId);
        Assert.Equal(KeysUrl.AbsoluteUri, set.Source);
    }

    [Theory]
    [InlineData("http://login.example.com/common/keys", "HTTPS only")]
    [InlineData("https://evil.example.net/keys", "not among the hosts")]
    [InlineData("https://login.example.com.evil.net/keys", "not among the hosts")]
    public async Task GetKeySet_NotHttpsOrHostNotAllowed_RefusedWithoutARequest(string url, string message)
    {
        using var server = new FakeKeyServer(_ => FakeKeyServer.Json(new { keys = Array.Empty<object>() }));
        using var fetcher = new KeySetFetcher(Options, server);

        var error = await Assert.ThrowsAsync<KeySourceException>(() => fetcher.GetKeySetAsync(new Uri(url), TestContext.Current.CancellationToken));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task GetKeySet_BodyOverTheLimit_Refused()
    {
        using var server = new FakeKeyServer(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(new string(' ', 100_000)) });
        using var fetcher = new KeySetFetcher(Options, server);

        var error = await Assert.ThrowsAsync<KeySourceException>(() => fetcher.GetKeySetAsync(KeysUrl, TestContext.Current.CancellationToken));

        Assert.Contains("limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetKeySet_ServerTooSlowOrFailing_ClearError()
    {
        using var slow = new FakeKeyServer(_ => throw new InvalidOperationException("not reached"), delay: TimeSpan.FromSeconds(30));
        using var slowFetcher = new KeySetFetcher(Options with { Timeout = TimeSpan.FromMilliseconds(200) }, slow);
        using var failing = new FakeKeyServer(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        using var failingFetcher = new KeySetFetcher(Options, failing);
        using var unreachable = new FakeKeyServer(_ => throw new HttpRequestException("Connection refused (login.example.com:443)"));
        using var unreachableFetcher = new KeySetFetcher(Options, unreachable);

        Assert.Contains("within 0.2 seconds", (await Assert.ThrowsAsync<KeySourceException>(() => slowFetcher.GetKeySetAsync(KeysUrl, TestContext.Current.CancellationToken))).Message, StringComparison.Ordinal);
        Assert.Contains("503", (await Assert.ThrowsAsync<KeySourceException>(() => failingFetcher.GetKeySetAsync(KeysUrl, TestContext.Current.CancellationToken))).Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", (await Assert.ThrowsAsync<KeySourceException>(() => unreachableFetcher.GetKeySetAsync(KeysUrl, TestContext.Current.CancellationToken))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetKeySet_CachedUntilRefreshThenStaleOnFailure()
    {
        var clock = new ManualClock(Now);
        bool down = false;
        string kid = "k1";
        using var server = new FakeKeyServer(_ => down ? throw new HttpRequestException("Connection refused") : FakeKeyServer.Json(new { keys = new[] { RsaJwk(Rsa, kid) } }));
        using var fetcher = new KeySetFetcher(Options with { Refresh = TimeSpan.FromHours(1), MaxStale = TimeSpan.FromHours(24) }, server, clock);
        CancellationToken cancel = TestContext.Current.CancellationToken;

        await fetcher.GetKeySetAsync(KeysUrl, cancel);
        clock.Advance(TimeSpan.FromMinutes(30));
        await fetcher.GetKeySetAsync(KeysUrl, cancel);
        Assert.Equal(1, server.Requests);

        kid = "k2";
        clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal("k2", (await fetcher.GetKeySetAsync(KeysUrl, cancel)).Keys[0].KeyId);
        Assert.Equal(2, server.Requests);

        down = true;
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal("k2", (await fetcher.GetKeySetAsync(KeysUrl, cancel)).Keys[0].KeyId);
        Assert.Contains("still used", fetcher.LastProblem, StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromDays(2));
        await Assert.ThrowsAsync<KeySourceException>(() => fetcher.GetKeySetAsync(KeysUrl, cancel));
    }

    [Fact]
    public async Task DiscoverKeySet_JwksUriHeldToTheSameRules()
    {
        using var server = new FakeKeyServer(request => FakeKeyServer.Json(request.RequestUri!.AbsolutePath.Contains("good", StringComparison.Ordinal)
            ? new { issuer = "x", jwks_uri = "https://login.example.com/common/keys" }
            : new { issuer = "x", jwks_uri = "https://evil.example.net/keys" }));
        using var fetcher = new KeySetFetcher(Options, server);
        CancellationToken cancel = TestContext.Current.CancellationToken;

        DiscoveryDocument good = await fetcher.DiscoverKeySetAsync(new Uri("https://login.example.com/good/.well-known/openid-configuration"), cancel);
        Assert.Equal(KeysUrl, good.KeySet);
        Assert.Equal("x", good.Issuer);
        await Assert.ThrowsAsync<KeySourceException>(() => fetcher.DiscoverKeySetAsync(new Uri("https://login.example.com/bad/.well-known/openid-configuration"), cancel));
    }
}
