using System.Net;
using Forgewatch.Core.Indicators;

namespace Forgewatch.Core.Tests.Indicators;

public sealed class IndicatorSetTests
{
    private static IndicatorSet With(params (IndicatorKind Kind, string Value)[] indicators)
    {
        var set = new IndicatorSet();
        foreach ((IndicatorKind kind, string value) in indicators)
        {
            set.Add(new Indicator(kind, value, "test"));
        }

        return set;
    }

    [Theory]
    [InlineData("203.0.113.7", true)]
    [InlineData("203.0.113.8", false)]
    [InlineData("::ffff:203.0.113.7", true)]
    [InlineData("2001:db8::7", true)]
    [InlineData("2001:db8::0:7", true)]
    [InlineData("2001:db8::8", false)]
    public void MatchIp_Addresses_ExactlyTheListedOnes(string address, bool expected)
    {
        IndicatorSet set = With((IndicatorKind.IpAddress, "203.0.113.7"), (IndicatorKind.IpAddress, "2001:DB8::7"));

        Assert.Equal(expected, set.MatchIp(IPAddress.Parse(address)) is not null);
    }

    [Theory]
    [InlineData("198.51.100.0", true)]
    [InlineData("198.51.100.255", true)]
    [InlineData("198.51.101.0", false)]
    [InlineData("198.51.99.255", false)]
    [InlineData("2001:db8:1::", true)]
    [InlineData("2001:db8:1:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8:2::", false)]
    [InlineData("::ffff:198.51.100.9", true)]
    public void MatchIp_Networks_EveryAddressInsideAndNoneOutside(string address, bool expected)
    {
        IndicatorSet set = With((IndicatorKind.IpNetwork, "198.51.100.0/24"), (IndicatorKind.IpNetwork, "2001:db8:1::/48"));

        Assert.Equal(expected, set.MatchIp(IPAddress.Parse(address)) is not null);
    }

    [Theory]
    [InlineData("Client=REST;Client=RESTSystem;;", true)]
    [InlineData("  client=rest;client=restsystem;;  ", true)]
    [InlineData("Client=REST;Client=RESTSystem;;extra", false)]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/92.0.4515.159 Safari/537.36", true)]
    [InlineData("Mozilla/5.0 AppleWebKit/537.36 Chrome/92.0.4515.1590 Safari/537.36", false)]
    [InlineData("Mozilla/5.0 AppleWebKit/537.36 XChrome/92.0.4515.159 Safari/537.36", false)]
    [InlineData("Mozilla/5.0 AppleWebKit/537.36 Chrome/92.0.4515.15", false)]
    [InlineData("Chrome/92.0.4515.159", true)]
    [InlineData("", false)]
    public void MatchUserAgent_WholeStringsAndWholeProductTokens(string userAgent, bool expected)
    {
        IndicatorSet set = With((IndicatorKind.UserAgent, "Client=REST;Client=RESTSystem;;"), (IndicatorKind.UserAgentToken, "Chrome/92.0.4515.159"));

        Assert.Equal(expected, set.MatchUserAgent(userAgent) is not null);
    }

    [Fact]
    public void MatchAppIdAndKeyId_CaseWhereItDoesNotMatter()
    {
        IndicatorSet set = With(
            (IndicatorKind.AppId, "9C4E7A21-D3B8-4F5E-A016-7B2D8E43C95F"),
            (IndicatorKind.KeyId, "D4B4CCCDA9228624656BFF33D8110955779632AA"),
            (IndicatorKind.KeyId, "1LTMzakihiRla_8z2BEJVXeWMqo"));

        Assert.NotNull(set.MatchAppId("9c4e7a21-d3b8-4f5e-a016-7b2d8e43c95f"));
        Assert.Null(set.MatchAppId("9c4e7a21-d3b8-4f5e-a016-7b2d8e43c950"));
        Assert.NotNull(set.MatchKeyId("d4b4cccda9228624656bff33d8110955779632aa"));
        Assert.NotNull(set.MatchKeyId("1LTMzakihiRla_8z2BEJVXeWMqo"));

        // A kid is base64url: its case is part of it.
        Assert.Null(set.MatchKeyId("1ltmzakihirla_8z2bejvxewmqo"));
    }

    [Theory]
    [InlineData(IndicatorKind.IpAddress, "1.2.3")]
    [InlineData(IndicatorKind.IpAddress, "0x7f.0.0.1")]
    [InlineData(IndicatorKind.IpAddress, "not an address")]
    [InlineData(IndicatorKind.IpNetwork, "198.51.100.7/24")]
    [InlineData(IndicatorKind.IpNetwork, "198.51.100.0/33")]
    [InlineData(IndicatorKind.IpNetwork, "198.51.100.0")]
    [InlineData(IndicatorKind.UserAgentToken, "Chrome 92")]
    [InlineData(IndicatorKind.AppId, "not-a-guid")]
    [InlineData(IndicatorKind.UserAgent, "   ")]
    public void TryAdd_ValuesNotOfTheirKind_RefusedWithAReason(IndicatorKind kind, string value)
    {
        var set = new IndicatorSet();

        Assert.False(set.TryAdd(new Indicator(kind, value, "test"), out string? error));
        Assert.False(string.IsNullOrEmpty(error));
        Assert.Equal(0, set.Count);
    }

    [Fact]
    public void TryAdd_SameValueTwice_KeptOnceFirstSourceWins()
    {
        var set = new IndicatorSet();

        Assert.True(set.TryAdd(new Indicator(IndicatorKind.IpAddress, "203.0.113.7", "first"), out _));
        Assert.True(set.TryAdd(new Indicator(IndicatorKind.IpAddress, "::ffff:203.0.113.7", "second"), out _));

        Assert.Equal(1, set.Count);
        Assert.Equal("first", set.MatchIp(IPAddress.Parse("203.0.113.7"))!.Source);
    }

    [Fact]
    public void Storm0558_PublishedSet_MatchesItsAddressesAndKeyAndNothingNearby()
    {
        IndicatorSet set = Storm0558Indicators.Create();

        Assert.Equal(38, set.All.Count(i => i.Kind == IndicatorKind.IpAddress));
        Assert.Contains("SoftEther", set.MatchIp(IPAddress.Parse("51.89.156.153"))!.Description, StringComparison.Ordinal);
        Assert.Contains("token web panel", set.MatchIp(IPAddress.Parse("195.26.87.219"))!.Description, StringComparison.Ordinal);
        Assert.Null(set.MatchIp(IPAddress.Parse("51.89.156.154")));
        Assert.NotNull(set.MatchKeyId("1LTMzakihiRla_8z2BEJVXeWMqo"));
        Assert.NotNull(set.MatchUserAgent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/106.0.0.0 Safari/537.36 Edg/106.0.1370.52"));
        Assert.All(set.All, i => Assert.Contains("2023-07-14", i.Source, StringComparison.Ordinal));
    }
}
