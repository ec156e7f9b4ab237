namespace Forgewatch.Server.Tenants;

/// <summary>A tenant Forgewatch watches: its id (as used in API paths), the admins told about its incidents,
/// its webhook if any, and when it was added. Its ingestion key is never kept, only the key's hash.
/// <see cref="WebhookFormat"/> is the body its webhook takes (<see cref="WebhookFormats"/>).</summary>
public sealed record Tenant(string Id, IReadOnlyList<string> Admins, Uri? Webhook, DateTimeOffset Created, string WebhookFormat = WebhookFormats.Json);

/// <summary>The bodies a webhook can take: Forgewatch's JSON, or a message for a Slack or Microsoft Teams
/// incoming webhook.</summary>
public static class WebhookFormats
{
    public const string Json = "json";
    public const string Slack = "slack";
    public const string Teams = "teams";

    public static bool IsKnown(string format) => format is Json or Slack or Teams;
}
