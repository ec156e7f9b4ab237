using Forgewatch.Core.Alerts;
using Forgewatch.Core.Events;
using Forgewatch.Server.Detection;
using Forgewatch.Server.Storage;

namespace Forgewatch.Server.Tests.Detection;

/// <summary>
/// The mail accesses kept for the exposure of incidents: a new key's whole history is read in the background
/// (the detections go on meanwhile), and what the read found is taken in once it has ended.
/// </summary>
public class ExposureEventsTests
{
    [Fact]
    public void Want_KeyOlderThanTheRecentRecords_PartialUntilTheBackgroundReadEnds()
    {
        using SqliteStore store = TenantDetectionTests.NewStore();
        (string address, string[] expected) = StoreSample(store);
        var read = new HeldRead();
        var exposure = new ExposureEvents(TimeSpan.FromMilliseconds(1), read.Start);

        // Nothing was offered: only the store has the key's records.
        exposure.Want([new ActorKey(ActorKind.Ip, address)], store, "t", store.LastBatch("t"));

        Assert.True(exposure.Partial);
        Assert.Empty(exposure.Events);
        Assert.Equal(1, read.Started);
        exposure.Complete(store, "t", store.LastBatch("t"));
        Assert.True(exposure.Partial);
        Assert.Equal(1, read.Started);

        read.RunAndEnd();
        exposure.Complete(store, "t", store.LastBatch("t"));

        Assert.False(exposure.Partial);
        Assert.Equal(expected, exposure.Events.Select(e => e.RecordId).Order(StringComparer.Ordinal));
        Assert.Equal(1, read.Started);
    }

    [Fact]
    public void Complete_ReadFailed_StaysPartialAndReadsAgainWhenDue()
    {
        using SqliteStore store = TenantDetectionTests.NewStore();
        (string address, string[] expected) = StoreSample(store);
        var read = new HeldRead();
        var exposure = new ExposureEvents(TimeSpan.FromMilliseconds(1), read.Start);
        exposure.Want([new ActorKey(ActorKind.Ip, address)], store, "t", store.LastBatch("t"));

        read.Fail(new IOException("disk gone"));
        Thread.Sleep(5);
        exposure.Complete(store, "t", store.LastBatch("t"));

        Assert.True(exposure.Partial);
        Assert.IsType<IOException>(exposure.ReadFailed);
        Assert.Equal(2, read.Started);
        read.RunAndEnd();
        exposure.Complete(store, "t", store.LastBatch("t"));
        Assert.False(exposure.Partial);
        Assert.Equal(expected, exposure.Events.Select(e => e.RecordId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Want_RescanZero_ReadsTheHistoryAtOnce()
    {
        using SqliteStore store = TenantDetectionTests.NewStore();
        (string address, string[] expected) = StoreSample(store);
        var read = new HeldRead();
        var exposure = new ExposureEvents(TimeSpan.Zero, read.Start);

        exposure.Want([new ActorKey(ActorKind.Ip, address)], store, "t", store.LastBatch("t"));

        Assert.False(exposure.Partial);
        Assert.Equal(0, read.Started);
        Assert.Equal(expected, exposure.Events.Select(e => e.RecordId).Order(StringComparer.Ordinal));
    }

    /// <summary>Stores the simulated sample; returns the address that read mail most and the ids of its reads.</summary>
    private static (string Address, string[] RecordIds) StoreSample(SqliteStore store)
    {
        AuditEvent[] events = TenantDetectionTests.SampleEvents;
        store.StoreEvents("t", events, TenantDetectionTests.Now);
        MailAccessEvent[] reads = [.. events.OfType<MailAccessEvent>().Where(a => !string.IsNullOrEmpty(a.ClientAddress))];
        string address = reads.GroupBy(a => a.ClientAddress!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        string[] ids = [.. reads.Where(a => a.ClientAddress == address).Select(a => a.RecordId).Distinct().Order(StringComparer.Ordinal)];
        Assert.True(ids.Length > 1, "The sample should have an address with several reads.");
        return (address, ids);
    }

    /// <summary>A background that holds each read until the test runs it (or fails it).</summary>
    private sealed class HeldRead
    {
        private Action? _work;
        private TaskCompletionSource? _done;

        public int Started { get; private set; }

        public Task Start(Action work)
        {
            Started++;
            _work = work;
            _done = new TaskCompletionSource();
            return _done.Task;
        }

        public void RunAndEnd()
        {
            _work!();
            _done!.SetResult();
        }

        public void Fail(Exception error) => _done!.SetException(error);
    }
}
