using Forgewatch.Core.Events;
using Forgewatch.Server.Tenants;

namespace Forgewatch.Server.Storage;

/// <summary>
/// Where the server keeps tenants and the events pushed for them. Every method is safe to call from many
/// threads at once. A method that returns has committed its change durably (the storage's strongest
/// synchronous setting), so an acknowledged batch survives a crash of the process or the machine.
/// </summary>
public interface IServerStore : IDisposable
{
    /// <summary>Adds a tenant with the hash of its ingestion key; false when the id is taken.</summary>
    bool AddTenant(Tenant tenant, string keyHash);

    IReadOnlyList<Tenant> ListTenants();

    /// <summary>Removes a tenant and everything stored for it; false when there was no such tenant.</summary>
    bool RemoveTenant(string id);

    /// <summary>The id of the tenant whose key has this hash, or null.</summary>
    string? TenantForKey(string keyHash);

    /// <summary>Stores a batch's events in one transaction, each record id once per tenant: returns how many
    /// were new and how many were already stored. Either all of the batch is committed or none of it.</summary>
    StoredBatch StoreEvents(string tenant, IReadOnlyList<AuditEvent> events, DateTimeOffset received);

    /// <summary>How many events are stored for the tenant.</summary>
    long CountEvents(string tenant);
}

/// <summary>The outcome of <see cref="IServerStore.StoreEvents"/>.</summary>
public readonly record struct StoredBatch(long BatchId, int Stored, int Duplicates);
