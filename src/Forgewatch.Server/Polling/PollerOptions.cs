using System.Net;
using System.Text;

namespace Forgewatch.Server.Polling;

/// <summary>
/// One pull source set (<c>Forgewatch:Pollers:N</c>, docs/serve.md "Pull ingestion"): the server fetches the
/// audit records of the Entra tenant <see cref="DirectoryTenantId"/> itself, with the app registration
/// <see cref="ClientId"/> and its secret (OAuth client credentials), and stores them for the Forgewatch tenant
/// <see cref="Tenant"/>. The secret never appears in <see cref="ToString"/> or in any message.
/// </summary>
public sealed record PollerOptions
{
    /// <summary>The Office 365 Management Activity API (unified audit log content blobs).</summary>
    public const string ManagementActivity = "ManagementActivity";

    /// <summary>Microsoft Graph <c>/auditLogs/signIns</c>.</summary>
    public const string GraphSignIns = "GraphSignIns";

    /// <summary>Content types of the Management Activity API that Forgewatch can read.</summary>
    public static readonly IReadOnlyList<string> KnownContentTypes = ["Audit.Exchange", "Audit.AzureActiveDirectory", "Audit.General", "Audit.SharePoint", "DLP.All"];

    /// <summary>The Forgewatch tenant the records are stored for.</summary>
    public string Tenant { get; init; } = "";

    /// <summary>The Entra (Azure AD) tenant GUID whose logs are read.</summary>
    public string DirectoryTenantId { get; init; } = "";

    /// <summary>The app registration's application (client) id.</summary>
    public string ClientId { get; init; } = "";

    /// <summary>The app registration's client secret.</summary>
    public string ClientSecret { get; init; } = "";

    /// <summary><see cref="ManagementActivity"/> and/or <see cref="GraphSignIns"/>; both when unset. An entry may
    /// also list several names separated by commas (handy in one environment variable).</summary>
    public IReadOnlyList<string>? Sources { get; init; }

    /// <summary>Seconds between the end of one poll of a source and the start of the next.</summary>
    public int IntervalSeconds { get; init; } = 300;

    public string LoginUrl { get; init; } = "https://login.microsoftonline.com";

    public string ManagementUrl { get; init; } = "https://manage.office.com";

    public string GraphUrl { get; init; } = "https://graph.microsoft.com";

    /// <summary>Management Activity API content types; Audit.Exchange, Audit.AzureActiveDirectory and
    /// Audit.General when unset. Entries may hold several, separated by commas.</summary>
    public IReadOnlyList<string>? ContentTypes { get; init; }

    /// <summary>How far back the first poll of a source reaches. The Management Activity API lists only the last
    /// 7 days, so its start is clamped to that.</summary>
    public int StartLookbackHours { get; init; } = 168;

    /// <summary>How far before the last checkpoint each poll starts again, for records that show up late; the
    /// repeats are dropped as duplicates (and content blobs already fetched are not fetched again).</summary>
    public int OverlapMinutes { get; init; } = 10;

    /// <summary>The Management Activity API's <c>PublisherIdentifier</c> (the GUID of the tenant running the
    /// collector, which gets its own request quota); <see cref="DirectoryTenantId"/> when unset.</summary>
    public string? PublisherIdentifier { get; init; }

    /// <summary>The sources to poll, each once.</summary>
    public IReadOnlyList<string> EffectiveSources => Split(Sources) is { Count: > 0 } s ? s : [ManagementActivity, GraphSignIns];

    /// <summary>The content types to poll, each once.</summary>
    public IReadOnlyList<string> EffectiveContentTypes => Split(ContentTypes) is { Count: > 0 } c ? c : ["Audit.Exchange", "Audit.AzureActiveDirectory", "Audit.General"];

    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);

    public TimeSpan Overlap => TimeSpan.FromMinutes(OverlapMinutes);

    /// <summary>The problem with the pollers' settings, naming the setting, or null. Never quotes a secret.</summary>
    public static string? Problem(IReadOnlyList<PollerOptions> pollers)
    {
        ArgumentNullException.ThrowIfNull(pollers);
        var seen = new HashSet<(string, string)>();
        for (int i = 0; i < pollers.Count; i++)
        {
            PollerOptions p = pollers[i];
            string at = $"Forgewatch:Pollers:{i}:";
            if (p.Problem(at) is { } problem)
            {
                return problem;
            }

            if (!seen.Add((p.Tenant, p.DirectoryTenantId.ToUpperInvariant())))
            {
                return $"{at}DirectoryTenantId: tenant {p.Tenant} already polls {p.DirectoryTenantId} (an earlier Forgewatch:Pollers entry); their checkpoints would clash.";
            }
        }

        return null;
    }

    private string? Problem(string at) =>
        Tenants.TenantRules.CheckId(Tenant) is { } tenant ? $"{at}Tenant: {tenant}"
        : !Guid.TryParse(DirectoryTenantId, out _) ? $"{at}DirectoryTenantId must be the Entra tenant's GUID."
        : !Guid.TryParse(ClientId, out _) ? $"{at}ClientId must be the app registration's application (client) id, a GUID."
        : string.IsNullOrWhiteSpace(ClientSecret) ? $"{at}ClientSecret is empty."
        : EffectiveSources.FirstOrDefault(s => s is not (ManagementActivity or GraphSignIns)) is { } source ? $"{at}Sources: \"{Shown(source)}\" is not {ManagementActivity} or {GraphSignIns}."
        : IntervalSeconds < 1 ? $"{at}IntervalSeconds must be at least 1."
        : UrlProblem(LoginUrl) is { } login ? $"{at}LoginUrl {login}"
        : UrlProblem(ManagementUrl) is { } management ? $"{at}ManagementUrl {management}"
        : UrlProblem(GraphUrl) is { } graph ? $"{at}GraphUrl {graph}"
        : EffectiveContentTypes.FirstOrDefault(c => !KnownContentTypes.Contains(c)) is { } type ? $"{at}ContentTypes: \"{Shown(type)}\" is not one of {string.Join(", ", KnownContentTypes)}."
        : StartLookbackHours is < 1 or > 87_600 ? $"{at}StartLookbackHours must be 1-87600."
        : OverlapMinutes is < 0 or > 360 ? $"{at}OverlapMinutes must be 0-360."
        : PublisherIdentifier is not null && !Guid.TryParse(PublisherIdentifier, out _) ? $"{at}PublisherIdentifier must be a GUID."
        : null;

    /// <summary>Credentials and tokens go to these addresses: https only, except to this machine (a local proxy
    /// or a test double).</summary>
    private static string? UrlProblem(string url) =>
        !Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            ? "must be an absolute https URL."
        : uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri) ? "must use https (plain http only to this machine)."
        : !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) ? "must have no credentials, query or fragment."
        : null;

    private static bool IsLoopback(Uri uri) => uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? ip) && IPAddress.IsLoopback(ip));

    private static List<string> Split(IReadOnlyList<string>? values) =>
        values is null ? [] : [.. values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal)];

    private static string Shown(string text) => text.Length <= 60 ? Reports.LogText.Escaped(text) : Reports.LogText.Escaped(text[..60]) + "...";

    /// <summary>Records print every property; the secret must not reach a log that way.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Tenant = {Tenant}, DirectoryTenantId = {DirectoryTenantId}, ClientId = {ClientId}, ClientSecret = ***, ");
        builder.Append($"Sources = [{string.Join(", ", EffectiveSources)}], IntervalSeconds = {IntervalSeconds}, LoginUrl = {LoginUrl}, ManagementUrl = {ManagementUrl}, GraphUrl = {GraphUrl}, ");
        builder.Append($"ContentTypes = [{string.Join(", ", EffectiveContentTypes)}], StartLookbackHours = {StartLookbackHours}, OverlapMinutes = {OverlapMinutes}, PublisherIdentifier = {PublisherIdentifier}");
        return true;
    }
}
