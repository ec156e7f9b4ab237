namespace Forgewatch.Core.Indicators;

/// <summary>
/// The indicators Microsoft published for Storm-0558 ("Analysis of Storm-0558 techniques for unauthorized
/// email access", Microsoft Threat Intelligence, 2023-07-14), as summarized in the project's domain notes.
/// They date from 2023: an address seen now may belong to someone else, and the REST client string is
/// common in benign records, so a match is evidence to weigh, never a verdict on its own.
/// </summary>
public static class Storm0558Indicators
{
    private const string Publication = "Microsoft Threat Intelligence, Storm-0558 (2023-07-14)";

    private static readonly string[] TokenWebPanelAddresses =
    [
        "195.26.87.219", "185.236.228.183", "85.239.63.160", "193.105.134.58", "146.0.74.16", "91.231.186.226",
        "91.222.174.41", "185.38.142.249",
    ];

    private static readonly string[] SoftEtherProxyAddresses =
    [
        "51.89.156.153", "176.31.90.129", "137.74.181.100", "193.36.119.45", "185.158.248.159", "131.153.78.188",
        "37.143.130.146", "146.70.157.45", "185.195.200.39", "185.38.142.229", "146.70.121.44", "31.42.177.181",
        "185.51.134.52", "173.44.226.70", "45.14.227.233", "185.236.231.109", "178.73.220.149", "45.14.227.212",
        "91.222.173.225", "146.70.35.168", "146.70.157.213", "31.42.177.201", "5.252.176.8", "80.85.158.215",
        "193.149.129.88", "5.252.178.68", "116.202.251.8", "185.158.248.93", "20.108.240.252", "146.70.135.182",
    ];

    /// <summary>The published set, each indicator with its source and what the publication says of it.</summary>
    public static IndicatorSet Create()
    {
        var set = new IndicatorSet();
        foreach (string address in TokenWebPanelAddresses)
        {
            set.Add(new Indicator(IndicatorKind.IpAddress, address, Publication, "Storm-0558 token web panel address"));
        }

        foreach (string address in SoftEtherProxyAddresses)
        {
            set.Add(new Indicator(IndicatorKind.IpAddress, address, Publication, "Storm-0558 SoftEther proxy address"));
        }

        set.Add(new Indicator(IndicatorKind.UserAgent, "Client=REST;Client=RESTSystem;;", Publication, "Exchange REST client string Storm-0558 used; also common in benign records") { Weak = true });
        set.Add(new Indicator(IndicatorKind.UserAgentToken, "Chrome/92.0.4515.159", Publication, "desktop Chrome version in Storm-0558 user agents"));
        set.Add(new Indicator(IndicatorKind.UserAgentToken, "Edg/106.0.1370.52", Publication, "desktop Edge version in Storm-0558 user agents"));
        set.Add(new Indicator(IndicatorKind.KeyId, "d4b4cccda9228624656bff33d8110955779632aa", Publication, "thumbprint of the MSA signing key Storm-0558 acquired; also in Microsoft documentation samples"));
        set.Add(new Indicator(IndicatorKind.KeyId, "1LTMzakihiRla_8z2BEJVXeWMqo", Publication, "kid/x5t of the MSA signing key Storm-0558 acquired; also in Microsoft documentation samples"));
        return set;
    }
}
