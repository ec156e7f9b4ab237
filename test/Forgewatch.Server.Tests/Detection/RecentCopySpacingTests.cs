using Forgewatch.Server.Detection;

namespace Forgewatch.Server.Tests.Detection;

/// <summary>Recent copies come at least the least spacing apart, and further apart as a copy costs more
/// against observing a record: about a twentieth of the observing, whatever the clock's pace.</summary>
public class RecentCopySpacingTests
{
    [Fact]
    public void NothingMeasuredYet_DueAtTheLeastSpacing()
    {
        var spacing = new RecentCopySpacing(100);
        Assert.False(spacing.Due(99));
        Assert.True(spacing.Due(100));
    }

    [Theory]
    [InlineData(1, 10, 200)]
    [InlineData(3, 10, 67)]
    [InlineData(1, 100, 2000)]
    [InlineData(5, 100, 400)]
    public void CopyCostsMoreThanObserving_DueOnlyOnceObservingCostTwentyCopies(long ticksPerRecord, long copyTicks, long dueAfter)
    {
        var spacing = new RecentCopySpacing(50);
        for (int i = 0; i < 1000; i++)
        {
            spacing.Observed(ticksPerRecord);
        }

        spacing.Copied(copyTicks);

        Assert.Equal(Math.Max(50, dueAfter), Enumerable.Range(0, 10_000).First(records => spacing.Due(records)));
    }

    [Fact]
    public void EveryCostTenTimesSlower_SameSpacing()
    {
        var fast = new RecentCopySpacing(10);
        var slow = new RecentCopySpacing(10);
        for (int i = 0; i < 100; i++)
        {
            fast.Observed(2);
            slow.Observed(20);
        }

        fast.Copied(40);
        slow.Copied(400);

        Assert.Equal(Enumerable.Range(0, 10_000).First(records => fast.Due(records)), Enumerable.Range(0, 10_000).First(records => slow.Due(records)));
    }
}
