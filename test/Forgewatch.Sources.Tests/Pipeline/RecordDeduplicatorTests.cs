using Forgewatch.Core.Events;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Sources.Tests.Pipeline;

public sealed class RecordDeduplicatorTests
{
    private static GenericEvent Event(string id, LogKind log) =>
        new(new EventHeader(id, new DateTime(2023, 6, 5, 0, 0, 0, DateTimeKind.Utc), "X", log, new RecordOrigin("f", SourceShape.UalJsonLines, 1, 0)));

    [Fact]
    public void IsFirst_SameGuidAnyCase_CountedOnce()
    {
        var dedup = new RecordDeduplicator();

        Assert.True(dedup.IsFirst(Event("3be78a31-dbd3-4c2c-eaf9-08d7b3cc8226", LogKind.UalMailAccess)));
        Assert.False(dedup.IsFirst(Event("3BE78A31-DBD3-4C2C-EAF9-08D7B3CC8226", LogKind.UalOther)));
    }

    [Fact]
    public void IsFirst_SameIdInUalAndEntra_BothKept()
    {
        var dedup = new RecordDeduplicator();

        Assert.True(dedup.IsFirst(Event("3be78a31-dbd3-4c2c-eaf9-08d7b3cc8226", LogKind.UalSignIn)));
        Assert.True(dedup.IsFirst(Event("3be78a31-dbd3-4c2c-eaf9-08d7b3cc8226", LogKind.EntraInteractiveSignIn)));
    }

    [Fact]
    public void IsFirst_NonGuidIds_ComparedExactly()
    {
        var dedup = new RecordDeduplicator();

        Assert.True(dedup.IsFirst(Event("7", LogKind.UalOther)));
        Assert.True(dedup.IsFirst(Event("8", LogKind.UalOther)));
        Assert.False(dedup.IsFirst(Event("7", LogKind.UalOther)));
        Assert.Equal(2, dedup.Count);
    }
}
