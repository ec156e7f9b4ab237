namespace Forgewatch.Server.Tenants;

/// <summary>A tenant Forgewatch watches: its id (as used in API paths), the admins told about its incidents,
/// its webhook if any, and when it was added. Its ingestion key is never kept, only the key's hash.</summary>
public sealed record Tenant(string Id, IReadOnlyList<string> Admins, Uri? Webhook, DateTimeOffset Created);
