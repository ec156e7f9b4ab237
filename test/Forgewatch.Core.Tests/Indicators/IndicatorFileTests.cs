using System.Net;
using System.Text;
using System.Text.Json;
using Forgewatch.Core.Indicators;

namespace Forgewatch.Core.Tests.Indicators;

public sealed class IndicatorFileTests
{
    [Fact]
    public void Csv_EveryTypeQuotingCommentsAndHeader_ValidLinesTakenOthersRejectedByLine()
    {
        const string Csv = """"
            type,value,description
            # a comment
            ip,203.0.113.7,panel
            ipv6,2001:db8::7

            ip,198.51.100.0/24,proxy range
            cidr,2001:db8:1::/48
            user-agent,"Mozilla/5.0 (X11, Linux) ""quoted""",odd client
            user-agent-token,Chrome/92.0.4515.159
            app-id,9c4e7a21-d3b8-4f5e-a016-7b2d8e43c95f
            kid,1LTMzakihiRla_8z2BEJVXeWMqo
            ip,1.2.3
            colour,red
            ip
            user-agent,"not closed
            """";
        var set = new IndicatorSet();

        IReadOnlyList<IndicatorRejection> rejections = IndicatorCsv.Read(new StringReader(Csv), "iocs.csv", set);

        Assert.Equal(8, set.Count);
        Assert.Equal("panel", set.MatchIp(IPAddress.Parse("203.0.113.7"))!.Description);
        Assert.Equal("iocs.csv, line 3", set.MatchIp(IPAddress.Parse("203.0.113.7"))!.Source);
        Assert.NotNull(set.MatchIp(IPAddress.Parse("198.51.100.200")));
        Assert.NotNull(set.MatchIp(IPAddress.Parse("2001:db8:1::5")));
        Assert.NotNull(set.MatchUserAgent("Mozilla/5.0 (X11, Linux) \"quoted\""));
        Assert.NotNull(set.MatchUserAgent("Mozilla/5.0 Chrome/92.0.4515.159 Safari/537.36"));
        Assert.NotNull(set.MatchAppId("9C4E7A21-D3B8-4F5E-A016-7B2D8E43C95F"));
        Assert.Equal(["line 12", "line 13", "line 14", "line 15"], rejections.Select(r => r.Location));
        Assert.Contains("address", rejections[0].Reason, StringComparison.Ordinal);
        Assert.Contains("unknown type", rejections[1].Reason, StringComparison.Ordinal);
        Assert.Contains("not closed", rejections[3].Reason, StringComparison.Ordinal);
    }

    private const string Bundle = """
        {"type":"bundle","id":"bundle--1","objects":[
          {"type":"identity","id":"identity--1","name":"ignored"},
          {"type":"indicator","id":"indicator--a","name":"proxy","pattern_type":"stix","pattern":"[ipv4-addr:value = '51.89.156.153']"},
          {"type":"indicator","id":"indicator--b","pattern":"[ipv4-addr:value ISSUBSET '198.51.100.0/24'] OR [ipv6-addr:value = '2001:db8::7' OR ipv6-addr:value = '2001:db8::8']"},
          {"type":"indicator","id":"indicator--c","pattern_type":"stix","pattern":"[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'Evil \\'client\\' 1.0']"},
          {"type":"indicator","id":"indicator--d","pattern":"[ipv4-addr:value = '192.0.2.1' AND ipv4-addr:value = '192.0.2.2']"},
          {"type":"indicator","id":"indicator--e","pattern_type":"sigma","pattern":"title: x"},
          {"type":"indicator","id":"indicator--f","pattern":"[file:hashes.'SHA-256' = 'aa']"},
          {"type":"indicator","id":"indicator--g","pattern":"[ipv4-addr:value = '192.0.2.9'] OR [ipv4-addr:value = '1.2.3']"},
          {"type":"indicator","id":"indicator--h","pattern":"[ipv4-addr:value = '192.0.2.10'] WITHIN 5 SECONDS"},
          {"type":"indicator","id":"indicator--i","pattern":"[ipv4-addr:value MATCHES '^192']"}
        ]}
        """;

    [Fact]
    public void Stix_Bundle_SupportedPatternsTakenTheRestRejectedWhole()
    {
        var set = new IndicatorSet();

        IReadOnlyList<IndicatorRejection> rejections = IndicatorStix.Read(new MemoryStream(Encoding.UTF8.GetBytes(Bundle)), "feed.json", set);

        Assert.Equal("proxy", set.MatchIp(IPAddress.Parse("51.89.156.153"))!.Description);
        Assert.NotNull(set.MatchIp(IPAddress.Parse("198.51.100.77")));
        Assert.NotNull(set.MatchIp(IPAddress.Parse("2001:db8::8")));
        Assert.NotNull(set.MatchUserAgent("Evil 'client' 1.0"));
        Assert.Equal(5, set.Count);

        // Rejected whole: nothing of d, g (one bad value) or h is taken.
        Assert.Null(set.MatchIp(IPAddress.Parse("192.0.2.1")));
        Assert.Null(set.MatchIp(IPAddress.Parse("192.0.2.9")));
        Assert.Null(set.MatchIp(IPAddress.Parse("192.0.2.10")));
        Assert.Equal(["indicator--d", "indicator--e", "indicator--f", "indicator--g", "indicator--h", "indicator--i"], rejections.Select(r => r.Location));
        Assert.Contains("AND", rejections[0].Reason, StringComparison.Ordinal);
        Assert.Contains("sigma", rejections[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Stix_NotJson_JsonException()
    {
        Assert.ThrowsAny<JsonException>(() => IndicatorStix.Read(new MemoryStream("type,value"u8.ToArray()), "x", new IndicatorSet()));
    }
}
