using System.Collections.Frozen;

namespace Forgewatch.Core.Detections;

/// <summary>
/// Microsoft's own mail clients, which read every mailbox in every tenant: reading mail with them says nothing
/// of who holds the token, so detections that look for unusual applications pass them by. Deliberately
/// short: tools that can read any mailbox given a token (Graph Explorer, Azure PowerShell, Azure CLI, Exchange
/// PowerShell) are not on it, because an intruder is as likely to use them as an admin. Extended with
/// <c>--allow-app</c>.
/// </summary>
public static class FirstPartyMailApps
{
    /// <summary>Application ids and what they are.</summary>
    public static readonly IReadOnlyDictionary<string, string> Known = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["00000002-0000-0ff1-ce00-000000000000"] = "Office 365 Exchange Online (Outlook on the web)",
        ["d3590ed6-52b3-4102-aeff-aad2292ab01c"] = "Microsoft Office (Outlook desktop)",
        ["27922004-5251-4030-b22d-91ecd9a37ea4"] = "Outlook Mobile",
        ["9199bf20-a13f-4107-85dc-02114787ef48"] = "One Outlook Web",
        ["5d661950-3475-41cd-a2c3-d671a3162bc1"] = "Outlook (new Outlook for Windows)",
        ["bc59ab01-8403-45c6-8796-ac3ef710b3e3"] = "Outlook Online Add-in App",
        ["1fec8e78-bce4-4aaf-ab1b-5451cc387264"] = "Microsoft Teams",
        ["5e3ce6c0-2b1f-4285-8d4b-75ee78787346"] = "Microsoft Teams Web Client",
        ["00000002-0000-0000-c000-000000000000"] = "Windows Azure Active Directory",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The default allowlist plus <paramref name="extra"/> ids.</summary>
    public static FrozenSet<string> With(IEnumerable<string> extra) =>
        Known.Keys.Concat(extra).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
}
