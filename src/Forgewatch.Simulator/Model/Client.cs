namespace Forgewatch.Simulator.Model;

/// <summary>
/// A mail client as the logs show it: the first-party application ids Microsoft's own clients sign in
/// with, and the strings they leave in sign-ins (<c>userAgent</c>, <c>clientAppUsed</c>) and in
/// <c>MailItemsAccessed</c> (<c>ClientInfoString</c>).
/// </summary>
internal sealed record Client(
    string Name,
    string AppId,
    string AppDisplayName,
    string ClientAppUsed,
    string UserAgent,
    string ClientInfo,
    bool Mobile,
    string OperatingSystem,
    string Browser)
{
    public const string ExchangeOnline = "00000002-0000-0ff1-ce00-000000000000";

    public static readonly Client Desktop = new(
        "desktop", "d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Office", "Mobile Apps and Desktop clients",
        "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.16327; Pro)", "Client=MSExchangeRPC",
        Mobile: false, "Windows10", "Rich Client 5.2.8.0");

    public static readonly Client Web = new(
        "owa", ExchangeOnline, "Office 365 Exchange Online", "Browser",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/113.0.0.0 Safari/537.36 Edg/113.0.1774.42",
        "Client=OWA;Action=ViaProxy", Mobile: false, "Windows10", "Edge 113.0.1774");

    public static readonly Client Ios = new(
        "ios", "27922004-5251-4030-b22d-91ecd9a37ea4", "Outlook Mobile", "Mobile Apps and Desktop clients",
        "Outlook-iOS/2.0", "Client=OutlookService;Outlook-iOS/2.0;", Mobile: true, "Ios 16.4", "Mobile Safari");

    public static readonly Client Android = new(
        "android", "27922004-5251-4030-b22d-91ecd9a37ea4", "Outlook Mobile", "Mobile Apps and Desktop clients",
        "Outlook-Android/2.0", "Client=REST;Client=RESTSystem;;", Mobile: true, "Android 13", "Rich Client 4.2316.1");

    /// <summary>The new Outlook for Windows: what a user's benign "first-seen" client often is.</summary>
    public static readonly Client NewOutlook = new(
        "new-outlook", "5d661950-3475-41cd-a2c3-d671a3162bc1", "Outlook (new)", "Mobile Apps and Desktop clients",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/113.0.0.0 Safari/537.36 Edg/113.0.1774.42 OneOutlook/1.2023.522.100",
        "Client=OWA;Action=ViaProxy", Mobile: false, "Windows10", "Edge 113.0.1774");
}
