using Forgewatch.Core.Detections;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Events;
using Forgewatch.Core.Indicators;
using Forgewatch.Core.Tests.Detections;
using static Forgewatch.Core.Tests.Detections.Scenario;

namespace Forgewatch.Core.Tests.Engine;

public sealed class DetectionEngineTests
{
    /// <summary>Writes down every call the engine makes.</summary>
    private sealed class Recorder : IDetection
    {
        public List<string> Calls { get; } = [];

        public string Id => "TEST";

        public string Title => "records calls";

        public void Observe(AuditEvent e, string tenant, DetectionContext context) => Calls.Add($"observe {e.RecordId} {tenant}");

        public void Advance(DateTime now, DetectionContext context) => Calls.Add($"advance {now:HH:mm:ss}");

        public void Finish(DetectionContext context) => Calls.Add("finish");
    }

    private static DetectionEngine Engine(params IDetection[] detections) =>
        new(detections, new DetectionContext(new DetectionOptions(), new IndicatorSet(), FakeCoverage.Nothing));

    [Fact]
    public void Process_EventEarlierThanPrevious_Throws()
    {
        var s = new Scenario();
        MailAccessEvent later = s.Read(At(20, 10));
        MailAccessEvent earlier = s.Read(At(20, 9, 59));
        DetectionEngine engine = Engine(new Recorder());
        engine.Process(later, Tenant);

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => engine.Process(earlier, Tenant));

        Assert.Contains("time order", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, engine.Events);
    }

    [Fact]
    public void Process_EventsWithEqualTimes_Accepted()
    {
        var s = new Scenario();
        DetectionEngine engine = Engine(new Recorder());

        engine.Process(s.Read(At(20, 10)), Tenant);
        engine.Process(s.Read(At(20, 10)), Tenant);

        Assert.Equal(2, engine.Events);
    }

    [Fact]
    public void Process_NewMinute_AdvancesOncePerMinuteBeforeObserving()
    {
        var s = new Scenario();
        var recorder = new Recorder();
        DetectionEngine engine = Engine(recorder);

        engine.Process(s.Read(At(20, 10, 0, 5), id: "a"), Tenant);
        engine.Process(s.Read(At(20, 10, 0, 50), id: "b"), OtherTenant);
        engine.Process(s.Read(At(20, 10, 3, 1), id: "c"), Tenant);
        engine.Finish();

        Assert.Equal(
            ["advance 10:00:05", "observe a t1", "observe b t2", "advance 10:03:01", "observe c t1", "finish"],
            recorder.Calls);
        Assert.Equal(3, engine.Events);
    }

    [Fact]
    public void Process_SeveralDetections_EachSeesEveryEventInOrder()
    {
        var s = new Scenario();
        var first = new Recorder();
        var second = new Recorder();
        DetectionEngine engine = Engine(first, second);

        engine.Process(s.Read(At(20, 10), id: "a"), Tenant);
        engine.Finish();

        Assert.Equal(["advance 10:00:00", "observe a t1", "finish"], first.Calls);
        Assert.Equal(first.Calls, second.Calls);
    }
}
