using System.Globalization;
using System.Text;
using Forgewatch.Core.Coverage;
using Forgewatch.Core.Engine.Snapshots;
using Forgewatch.Core.Events;
using static Forgewatch.Core.Tests.Detections.Scenario;

namespace Forgewatch.Core.Tests.Engine.Snapshots;

public sealed class CoverageSnapshotTests
{
    public static TheoryData<string> Data => ["samples", "story"];

    [Theory]
    [MemberData(nameof(Data))]
    public void Read_HalfTheEvents_AnswersAlikeThenAndAfterMoreEvents(string name)
    {
        List<AuditEvent> events = [.. SnapshotData.Get(name).Events.Select(e => e.Event), .. TenantlessRecords()];
        int half = events.Count / 2;
        var live = new CoverageMap { NotBefore = events[0].Time.AddHours(5) };
        events.Take(half).ToList().ForEach(live.Add);
        byte[] bytes = CoverageSnapshot.Write(live);

        CoverageMap restored = CoverageSnapshot.Read(bytes);

        Assert.Equal(bytes, CoverageSnapshot.Write(restored));
        Assert.Equal(Answers(live, events), Answers(restored, events));
        events.Skip(half).ToList().ForEach(live.Add);
        events.Skip(half).ToList().ForEach(restored.Add);
        Assert.Equal(Answers(live, events), Answers(restored, events));
        Assert.Equal(CoverageSnapshot.Write(live), CoverageSnapshot.Write(restored));
    }

    [Fact]
    public void Read_DomainCountedAsMuchForTwoTenants_ResolvedToTheSameOne()
    {
        var s = new Detections.Scenario();
        s.SignIn(At(1, 9), user: "ann@fabrikam.com", tenant: "tenant-b");
        s.SignIn(At(1, 10), user: "joe@fabrikam.com", tenant: "tenant-a");
        SignInEvent tenantless = s.SignIn(At(1, 11), user: "kim@FABRIKAM.com", tenant: null);
        var live = new CoverageMap();
        s.Records.ToList().ForEach(live.Add);

        CoverageMap restored = CoverageSnapshot.Read(CoverageSnapshot.Write(live));

        // A tie goes to the tenant counted first: the order of the counts came back too.
        Assert.Equal("tenant-b", live.TenantOf(tenantless));
        Assert.Equal("tenant-b", restored.TenantOf(tenantless));
    }

    [Fact]
    public void Read_Damaged_ThrowsSnapshotException()
    {
        byte[] bytes = CoverageSnapshot.Write(FromStory());
        for (int i = 0; i < bytes.Length; i += 7)
        {
            byte[] damaged = (byte[])bytes.Clone();
            damaged[i] ^= 0x01;
            Assert.Throws<SnapshotException>(() => CoverageSnapshot.Read(damaged));
        }

        Assert.Equal(SnapshotFailure.Truncated, Assert.Throws<SnapshotException>(() => CoverageSnapshot.Read(bytes.AsSpan(0, bytes.Length - 1))).Failure);
    }

    private static CoverageMap FromStory()
    {
        var map = new CoverageMap();
        foreach ((AuditEvent e, _) in SnapshotData.Get("story").Events)
        {
            map.Add(e);
        }

        return map;
    }

    /// <summary>Records of a domain no record with a tenant names, and of one that two tenants share.</summary>
    private static IEnumerable<AuditEvent> TenantlessRecords()
    {
        var s = new Detections.Scenario();
        s.SignIn(At(40, 1), user: "x@unknown.example", tenant: null);
        s.SignIn(At(40, 2), user: "a@shared.example", tenant: "ta");
        s.SignIn(At(40, 3), user: "b@shared.example", tenant: "tb");
        s.Read(At(40, 4), mailbox: "c@SHARED.example", tenant: null);
        return s.Records;
    }

    /// <summary>Every answer the map gives: tenants, streams, covered times and windows, each event's tenant.</summary>
    private static string Answers(CoverageMap map, IReadOnlyList<AuditEvent> events)
    {
        var text = new StringBuilder();
        text.AppendJoin(", ", map.Tenants).Append('\n');
        DateTime from = new(events.Min(e => e.Time).Ticks / TimeSpan.TicksPerHour * TimeSpan.TicksPerHour, DateTimeKind.Utc);
        DateTime until = events.Max(e => e.Time).AddDays(2);
        TimeSpan[] windows = [TimeSpan.Zero, TimeSpan.FromMinutes(30), TimeSpan.FromHours(24), TimeSpan.FromDays(3), TimeSpan.FromDays(14)];
        foreach (string tenant in map.Tenants)
        {
            foreach ((LogKind log, StreamCoverage coverage) in map.StreamsOf(tenant))
            {
                text.Append(CultureInfo.InvariantCulture, $"{tenant} {log.Name()} {coverage.Records} {coverage.First:O} {coverage.Last:O} ")
                    .AppendJoin(' ', coverage.Spans(CoverageMap.DefaultGapTolerance).Select(s => $"{s.From:O}/{s.To:O}")).Append('\n');
            }

            foreach (LogKind log in Enum.GetValues<LogKind>())
            {
                for (DateTime time = from.AddDays(-1); time < until; time = time.AddMinutes(150))
                {
                    text.Append(map.Covers(tenant, log, time) ? '1' : '0');
                    foreach (TimeSpan window in windows)
                    {
                        text.Append(map.Covers(tenant, log, time - window, time) ? '1' : '0');
                    }
                }

                text.Append('\n');
            }
        }

        text.AppendJoin(",", events.Select(map.TenantOf));
        return text.ToString();
    }
}
