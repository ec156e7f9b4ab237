using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Forgewatch.Core.Events;
using Forgewatch.Server.Storage;
using Forgewatch.Server.Tenants;
using Forgewatch.Sources.Input;
using Forgewatch.Sources.Pipeline;
using Forgewatch.Testing;

namespace Forgewatch.Server.Tests.Storage;

/// <summary>Batches stored at once, as the server stores them (ConcurrentBatches at a time). SQLite takes them
/// one by one; PostgreSQL takes them in parallel and must still keep the order and the deduplication.</summary>
public partial class ConcurrentStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A reader that sees batch n has seen every batch before it (what a detection snapshot relies
    /// on): batch ids must grow in commit order even when batches of one tenant are stored at once.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task StoreEvents_ConcurrentBatchesOfOneTenant_IdsGrowInCommitOrder(StoreKind kind)
    {
        const int Writers = 4;
        const int BatchesEach = 8;
        using TestDatabase database = TestDatabase.Create(kind);
        using IServerStore store = database.Open();
        store.AddTenant(new Tenant("contoso", ["a@contoso.example"], null, Now), "hash-c");
        store.AddTenant(new Tenant("fabrikam", ["b@fabrikam.example"], null, Now), "hash-f");
        List<AuditEvent> events = Copies(Writers * BatchesEach * 10);
        AuditEvent[][] batches = [.. events.Chunk(events.Count / (Writers * BatchesEach))];
        var stored = new ConcurrentBag<StoredBatch>();
        var violations = new ConcurrentBag<string>();
        using var done = new CancellationTokenSource();

        // Whatever the last batch is when the reader looks, every batch with a smaller id is already readable.
        Task reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                long last = store.LastBatch("contoso");
                HashSet<long> seen = [.. store.ReadEventsAfter("contoso", DateTime.MaxValue, 0).Select(e => e.Batch)];
                foreach (StoredBatch b in stored.Where(b => b.BatchId < last && !seen.Contains(b.BatchId)))
                {
                    violations.Add($"batch {b.BatchId} was not readable when batch {last} was");
                }
            }
        }, TestContext.Current.CancellationToken);
        Task[] writers = [.. Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            long previous = 0;
            for (int i = 0; i < BatchesEach; i++)
            {
                StoredBatch batch = store.StoreEvents("contoso", batches[(w * BatchesEach) + i], Now);
                store.StoreEvents("fabrikam", batches[(w * BatchesEach) + i][..5], Now);
                Assert.True(batch.BatchId > previous, $"Batch {batch.BatchId} after {previous}.");
                previous = batch.BatchId;
                stored.Add(batch);
            }
        }, TestContext.Current.CancellationToken))];
        await Task.WhenAll(writers);
        await done.CancelAsync();
        await reader;

        Assert.Empty(violations);
        Assert.Equal(Writers * BatchesEach, stored.Select(b => b.BatchId).Distinct().Count());
        Assert.All(stored, b => Assert.Equal((batches[0].Length, 0), (b.Stored, b.Duplicates)));
        Assert.Equal(stored.Max(b => b.BatchId), store.LastBatch("contoso"));
        Assert.Equal(events.Count, store.CountEvents("contoso"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task StoreEvents_SameRecordsPushedAtOnce_EachStoredOnce(StoreKind kind)
    {
        const int Pushes = 6;
        using TestDatabase database = TestDatabase.Create(kind);
        using IServerStore store = database.Open();
        store.AddTenant(new Tenant("contoso", ["a@contoso.example"], null, Now), "hash-c");
        List<AuditEvent> events = Copies(20);
        using var start = new Barrier(Pushes);

        StoredBatch[] results = await Task.WhenAll(Enumerable.Range(0, Pushes).Select(i => Task.Run(() =>
        {
            start.SignalAndWait(TestContext.Current.CancellationToken);

            // Each push holds the records in another order, and some twice.
            AuditEvent[] batch = [.. events.Skip(i).Concat(events.Take(i)), .. events.Take(3)];
            return store.StoreEvents("contoso", batch, Now);
        }, TestContext.Current.CancellationToken)));

        Assert.Equal(events.Count, results.Sum(r => r.Stored));
        Assert.Equal((Pushes * (events.Count + 3)) - events.Count, results.Sum(r => r.Duplicates));
        Assert.Equal(events.Count, store.CountEvents("contoso"));
        Assert.Equal(events.Select(e => e.RecordId).Order(StringComparer.Ordinal), store.ReadEvents("contoso").Select(e => e.RecordId).Order(StringComparer.Ordinal));
    }

    /// <summary>The fixture's records <paramref name="copies"/> times, each copy with record ids of its own.</summary>
    internal static List<AuditEvent> Copies(int copies)
    {
        string fixture = File.ReadAllText(Path.Combine(RepositoryPaths.Exports, "ual", "collector", "ual-2023-06-07.jsonl"));
        string path = Path.Combine(Path.GetTempPath(), "forgewatch-store-tests", $"copies-{Guid.NewGuid():N}.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Concat(Enumerable.Range(0, copies).Select(c => RecordId().Replace(fixture, m => $"{m.Value[..^1]}-{c}\""))));
        try
        {
            var events = new List<AuditEvent>();
            new LogReader().ReadAsync([new InputFile(path, new FileInfo(path).Length)], batch => events.AddRange(batch.Events)).GetAwaiter().GetResult();
            return events;
        }
        finally
        {
            File.Delete(path);
        }
    }

    [GeneratedRegex("\"Id\":\"[^\"]*\"")]
    private static partial Regex RecordId();
}
