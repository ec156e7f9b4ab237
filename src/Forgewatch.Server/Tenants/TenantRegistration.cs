namespace Forgewatch.Server.Tenants;

/// <summary>Adds a tenant after checking its id, admins and webhook (<see cref="TenantRules"/>), with a new
/// ingestion key and, with a webhook, a new signing secret: what <c>forgewatch tenant add</c> and
/// <c>POST /api/v1/tenants</c> both do.</summary>
public static class TenantRegistration
{
    /// <summary>The tenant with its key and secret (shown once, never stored in clear), or the problem as a
    /// sentence (Taken when the id is in use).</summary>
    public static (Tenant? Tenant, string? Key, string? Secret, string? Problem, bool Taken) Add(Storage.IServerStore store, string id, IReadOnlyList<string> admins, string? webhook, DateTimeOffset now, string webhookFormat = WebhookFormats.Json)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(admins);
        string? problem = TenantRules.CheckId(id)
            ?? (admins.Count == 0 ? "A tenant needs at least one admin address." : null)
            ?? admins.Select(TenantRules.CheckAdmin).FirstOrDefault(p => p is not null)
            ?? (webhook is null ? null : TenantRules.CheckWebhook(webhook))
            ?? (WebhookFormats.IsKnown(webhookFormat) ? null : $"Webhook format \"{(webhookFormat.Length <= 20 ? webhookFormat : webhookFormat[..20])}\" is not json, slack or teams.");
        if (problem is not null)
        {
            return (null, null, null, problem, false);
        }

        string key = IngestionKey.New();
        string? secret = webhook is null ? null : WebhookSecret.New();
        var tenant = new Tenant(id, [.. admins.Distinct(StringComparer.OrdinalIgnoreCase)], webhook is null ? null : new Uri(webhook), now, webhookFormat);
        return store.AddTenant(tenant, IngestionKey.Hash(key), secret)
            ? (tenant, key, secret, null, false)
            : (null, null, null, $"Tenant \"{id}\" already exists.", true);
    }
}
