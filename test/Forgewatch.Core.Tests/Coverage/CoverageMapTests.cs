using Forgewatch.Core.Coverage;
using Forgewatch.Core.Events;

namespace Forgewatch.Core.Tests.Coverage;

public sealed class CoverageMapTests
{
    [Fact]
    public void Add_RecordsOfTwoStreams_EachStreamCountedWithFirstAndLast()
    {
        var map = new CoverageMap();
        map.Add(Events.MailAccess(Events.At(5, 10)));
        map.Add(Events.MailAccess(Events.At(6, 3)));
        map.Add(Events.SignIn(Events.At(5, 9), "t1"));

        var streams = map.StreamsOf("t1").ToDictionary(s => s.Log, s => s.Coverage);
        Assert.Equal(2, streams[LogKind.UalMailAccess].Records);
        Assert.Equal(Events.At(5, 10), streams[LogKind.UalMailAccess].First);
        Assert.Equal(Events.At(6, 3), streams[LogKind.UalMailAccess].Last);
        Assert.Equal(1, streams[LogKind.EntraInteractiveSignIn].Records);
    }

    [Theory]
    [InlineData(1, 10, 30, 1, 12, true)]
    [InlineData(2, 9, 0, 2, 20, true)]
    [InlineData(1, 10, 0, 1, 12, false)]
    [InlineData(1, 9, 0, 1, 12, false)]
    [InlineData(2, 9, 0, 3, 2, false)]
    public void Covers_WindowAgainstHoursSeenAndNotBefore_TrueOnlyInsideBoth(int fromDay, int fromHour, int fromMinute, int toDay, int toHour, bool expected)
    {
        var map = new CoverageMap { NotBefore = Events.At(1, 10, 15) };
        for (int hour = 10; hour < 48; hour++)
        {
            map.Add(Events.SignIn(Events.At(1, 0).AddHours(hour).AddMinutes(20), "t1"));
        }

        bool covered = map.Covers("t1", LogKind.EntraInteractiveSignIn, Events.At(fromDay, fromHour, fromMinute), Events.At(toDay, toHour));

        Assert.Equal(expected, covered);
    }

    [Fact]
    public void Spans_GapLongerThanTolerance_SplitsIntoTwo()
    {
        var map = new CoverageMap();
        map.Add(Events.MailAccess(Events.At(1, 10)));
        map.Add(Events.MailAccess(Events.At(1, 20)));
        map.Add(Events.MailAccess(Events.At(5, 8, 30)));

        var spans = map.StreamsOf("t1").Single().Coverage.Spans(TimeSpan.FromHours(24));

        Assert.Equal([(Events.At(1, 10), Events.At(1, 21)), (Events.At(5, 8), Events.At(5, 9))], spans);
        Assert.True(map.Covers("t1", LogKind.UalMailAccess, Events.At(1, 15)));
        Assert.False(map.Covers("t1", LogKind.UalMailAccess, Events.At(3, 12)));
        Assert.False(map.Covers("t1", LogKind.EntraInteractiveSignIn, Events.At(1, 15)));
    }

    [Fact]
    public void Tenants_SignInsWithoutTenant_AttributedByUserDomain()
    {
        var map = new CoverageMap();
        map.Add(Events.MailAccess(Events.At(5, 10), tenant: "t1", user: "bob@contoso.com"));
        map.Add(Events.SignIn(Events.At(5, 9), tenant: null, user: "alice@CONTOSO.com"));
        map.Add(Events.SignIn(Events.At(5, 9), tenant: null, user: "eve@fabrikam.com"));
        map.Add(Events.SignIn(Events.At(5, 9), tenant: null, user: "system"));

        Assert.Equal(["(unknown tenant)", "(unknown tenant: fabrikam.com)", "t1"], map.Tenants);
        Assert.Contains(map.StreamsOf("t1"), s => s.Log == LogKind.EntraInteractiveSignIn && s.Coverage.Records == 1);
    }

    [Fact]
    public void Tenants_SignInsWithAndWithoutTenant_MergedIntoOneStream()
    {
        var map = new CoverageMap();
        map.Add(Events.SignIn(Events.At(5, 9), tenant: "t1", user: "bob@contoso.com"));
        map.Add(Events.SignIn(Events.At(7, 9), tenant: null, user: "alice@contoso.com"));

        StreamCoverage merged = Assert.Single(map.StreamsOf("t1")).Coverage;
        Assert.Equal(2, merged.Records);
        Assert.Equal(Events.At(5, 9), merged.First);
        Assert.Equal(Events.At(7, 9), merged.Last);
        Assert.Equal(2, merged.Spans(TimeSpan.FromHours(24)).Count);
    }
}
