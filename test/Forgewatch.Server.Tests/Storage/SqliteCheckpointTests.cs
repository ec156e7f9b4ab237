using Forgewatch.Core.Events;
using Forgewatch.Server.Storage;
using Forgewatch.Server.Tenants;

namespace Forgewatch.Server.Tests.Storage;

/// <summary>The writer leaves checkpoints to the background: the log is still copied into the database while
/// the store is open, and everything stays readable.</summary>
public class SqliteCheckpointTests
{
    [Fact]
    public async Task BatchesCommitted_LogCopiedIntoTheDatabaseInTheBackground()
    {
        string folder = Path.Combine(Path.GetTempPath(), "forgewatch-store-tests", Guid.NewGuid().ToString("N"));
        List<AuditEvent> events = ConcurrentStoreTests.Copies(40);
        using SqliteStore store = SqliteStore.Open(folder);
        store.AddTenant(new Tenant("contoso", ["a@contoso.example"], null, DateTimeOffset.UtcNow), "hash-1");
        string database = Path.Combine(folder, SqliteStore.FileName);
        long before = new FileInfo(database).Length;

        foreach (AuditEvent[] batch in events.Chunk(500))
        {
            store.StoreEvents("contoso", batch, DateTimeOffset.UtcNow);
        }

        // The writer copies nothing itself (no automatic checkpoint): only the background thread grows the file.
        long encoded = events.Sum(e => (long)EventBytes.Encode(e).Length);
        DateTime until = DateTime.UtcNow.AddSeconds(20);
        while (new FileInfo(database).Length < before + encoded && DateTime.UtcNow < until)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.True(new FileInfo(database).Length >= before + encoded, $"database {new FileInfo(database).Length:N0} bytes, events {encoded:N0} bytes");
        Assert.True(store.Checkpointer.Runs > 0);
        Assert.Null(store.Checkpointer.LastFailure);
        Assert.Equal(events.Count, store.CountEvents("contoso"));
    }
}
