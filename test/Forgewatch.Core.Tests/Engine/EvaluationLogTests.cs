using Forgewatch.Core.Engine;
using static Forgewatch.Core.Tests.Detections.Scenario;

namespace Forgewatch.Core.Tests.Engine;

public sealed class EvaluationLogTests
{
    [Fact]
    public void Evaluated_PerDetectionAndTenant_CountedSeparately()
    {
        var log = new EvaluationLog();
        log.Evaluated("FW1001", "t1");
        log.Evaluated("FW1001", "t1");
        log.Evaluated("FW1002", "t1");
        log.Evaluated("FW1001", "t2");

        var counts = log.Entries.ToDictionary(e => (e.Detection, e.Tenant), e => e.Evaluated);

        Assert.Equal(2, counts[("FW1001", "t1")]);
        Assert.Equal(1, counts[("FW1002", "t1")]);
        Assert.Equal(1, counts[("FW1001", "t2")]);
    }

    [Fact]
    public void Evaluated_EqualTextsThatAreDifferentStrings_CountedTogether()
    {
        var log = new EvaluationLog();
        string tenant = new(['t', '1']);
        log.Evaluated("FW1001", "t1");
        log.Evaluated(new string(['F', 'W', '1', '0', '0', '1']), tenant);

        Assert.Equal(2, Assert.Single(log.Entries).Evaluated);
    }

    [Fact]
    public void Evaluated_ManyDetectionsAndTenants_CountsSurviveTheRecentCache()
    {
        var log = new EvaluationLog();
        for (int round = 0; round < 3; round++)
        {
            for (int d = 0; d < 12; d++)
            {
                log.Evaluated($"FW{d}", "t1");
            }
        }

        Assert.Equal(12, log.Entries.Count());
        Assert.All(log.Entries, e => Assert.Equal(3, e.Evaluated));
    }

    [Fact]
    public void NotEvaluated_ByReason_CountsWithFirstAndLastTime()
    {
        var log = new EvaluationLog();
        log.NotEvaluated("FW1002", "t1", "no sign-ins", At(20, 10));
        log.NotEvaluated("FW1002", "t1", "no sign-ins", At(20, 8));
        log.NotEvaluated("FW1002", "t1", "no session", At(20, 9));
        log.NotEvaluated("FW1002", "t2", "no sign-ins", At(21, 9));

        var t1 = log.Entries.Single(e => e.Tenant == "t1");

        Assert.Equal(0, t1.Evaluated);
        Assert.Equal([("no session", 1L, At(20, 9), At(20, 9)), ("no sign-ins", 2L, At(20, 8), At(20, 10))], t1.NotEvaluated);
        Assert.Equal(4, log.NotEvaluatedTotal("FW1002"));
        Assert.Equal(0, log.NotEvaluatedTotal("FW1001"));
    }

    [Fact]
    public void Entries_OrderedByTenantThenDetection()
    {
        var log = new EvaluationLog();
        log.Evaluated("FW1002", "t2");
        log.Evaluated("FW1001", "t2");
        log.Evaluated("FW1003", "t1");

        Assert.Equal([("FW1003", "t1"), ("FW1001", "t2"), ("FW1002", "t2")], log.Entries.Select(e => (e.Detection, e.Tenant)));
    }
}
