using Forgewatch.Core.Events;
using Forgewatch.Server.Detection;
using Forgewatch.Server.Storage;

namespace Forgewatch.Server.Tests.Detection;

/// <summary>The events waiting for a stream's horizon come out in <see cref="EventOrder"/>, however they were
/// added and whenever they were asked for.</summary>
public class WaitingEventsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 37)]
    [InlineData(3, 500)]
    public void AddedInShuffledChunks_AskedBetweenChunks_AlwaysInOrder(int seed, int chunk)
    {
        var random = new Random(seed);
        AuditEvent[] events = [.. TenantDetectionTests.SampleEvents.OrderBy(_ => random.Next())];
        var waiting = new WaitingEvents();
        var expected = new List<AuditEvent>();

        foreach (AuditEvent[] part in events.Chunk(chunk))
        {
            // Some chunks in order, as a log's batches often are.
            IEnumerable<AuditEvent> added = random.Next(2) == 0 ? part : part.Order(Comparer<AuditEvent>.Create(EventOrder.Compare));
            foreach (AuditEvent e in added)
            {
                waiting.Add(e);
                expected.Add(e);
            }

            expected.Sort(EventOrder.Compare);
            if (random.Next(3) == 0)
            {
                int drop = random.Next(expected.Count / 2);
                waiting.RemoveFirst(drop);
                expected.RemoveRange(0, drop);
            }

            Assert.Equal(expected.Count, waiting.Count);
            Assert.Equal(expected, waiting.InOrder());
        }
    }

    [Fact]
    public void AddedInOrder_ThenOlderOnes_MergedBefore()
    {
        AuditEvent[] events = [.. TenantDetectionTests.SampleEvents.Order(Comparer<AuditEvent>.Create(EventOrder.Compare))];
        var waiting = new WaitingEvents();
        foreach (AuditEvent e in events[(events.Length / 2)..])
        {
            waiting.Add(e);
        }

        Assert.Equal(events[(events.Length / 2)..], waiting.InOrder());
        foreach (AuditEvent e in events[..(events.Length / 2)].Reverse())
        {
            waiting.Add(e);
        }

        Assert.Equal(events, waiting.InOrder());
        waiting.Clear();
        Assert.Empty(waiting.InOrder());
    }
}
