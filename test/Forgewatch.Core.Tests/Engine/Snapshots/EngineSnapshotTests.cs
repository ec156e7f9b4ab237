using Forgewatch.Core.Alerts;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Snapshots;
using Forgewatch.Core.Events;
using Forgewatch.Core.Tests.Detections;
using static Forgewatch.Core.Tests.Detections.Scenario;

namespace Forgewatch.Core.Tests.Engine.Snapshots;

public sealed class EngineSnapshotTests
{
    public static TheoryData<string> Data => ["samples", "story"];

    [Theory]
    [MemberData(nameof(Data))]
    public void Read_AtCutPoints_ContinuesExactlyAsUninterrupted(string name)
    {
        SnapshotData data = SnapshotData.Get(name);
        string expected = data.Uninterrupted();
        int step = (data.Count / 8) + 1;
        HashSet<int> cuts = [.. Enumerable.Range(0, (data.Count / step) + 1).Select(i => i * step), 1, data.Count - 1, data.Count];
        var snapshots = new List<(int Cut, byte[] Bytes)>();
        DetectionEngine live = data.NewEngine();
        for (int i = 0; i <= data.Count; i++)
        {
            if (cuts.Contains(i))
            {
                snapshots.Add((i, EngineSnapshot.Write(live)));
            }

            data.Feed(live, i, Math.Min(i + 1, data.Count));
        }

        // Writing snapshots along the way changed nothing of the live engine.
        Assert.Equal(expected, SnapshotData.Finish(live));
        Assert.Equal(cuts.Count, snapshots.Count);
        foreach ((int cut, byte[] bytes) in snapshots)
        {
            DetectionEngine restored = data.Restore(bytes);
            Assert.Equal(cut, restored.Events);
            Assert.Equal(bytes, EngineSnapshot.Write(restored));
            data.Feed(restored, cut, data.Count);
            Assert.Equal(expected, SnapshotData.Finish(restored));
        }
    }

    [Theory]
    [MemberData(nameof(Data))]
    public void Copy_AtCutPoints_ContinuesExactlyAsUninterrupted_AndLeavesTheOriginalAlone(string name)
    {
        SnapshotData data = SnapshotData.Get(name);
        string expected = data.Uninterrupted();
        int step = (data.Count / 8) + 1;
        DetectionEngine live = data.NewEngine();
        int copies = 0;
        for (int i = 0; i <= data.Count; i++)
        {
            if (i % step == 0 || i == data.Count)
            {
                byte[] before = EngineSnapshot.Write(live);
                DetectionEngine copy = EngineSnapshot.Copy(live, BuiltInDetections.Create(), data.Options, data.Indicators, data.Coverage);

                // The copy is the same state as a snapshot of it, and running it to the end leaves the original as it was.
                Assert.Equal(before, EngineSnapshot.Write(copy));
                data.Feed(copy, i, data.Count);
                Assert.Equal(expected, SnapshotData.Finish(copy));
                Assert.Equal(before, EngineSnapshot.Write(live));
                copies++;
            }

            data.Feed(live, i, Math.Min(i + 1, data.Count));
        }

        Assert.True(copies >= 9);
        Assert.Equal(expected, SnapshotData.Finish(live));
    }

    [Theory]
    [MemberData(nameof(Data))]
    public void Read_RestartedEveryFewEvents_SameAsUninterrupted(string name)
    {
        SnapshotData data = SnapshotData.Get(name);
        string expected = data.Uninterrupted();
        int every = (data.Count / 60) + 1;
        DetectionEngine engine = data.NewEngine();
        int restarts = 0;
        for (int i = 0; i < data.Count; i++)
        {
            if (i % every == 0)
            {
                engine = data.Restore(EngineSnapshot.Write(engine));
                restarts++;
            }

            data.Feed(engine, i, i + 1);
        }

        Assert.True(restarts > 50);
        Assert.Equal(expected, SnapshotData.Finish(engine));
    }

    [Theory]
    [MemberData(nameof(Data))]
    public void Uninterrupted_Data_ExercisesTheDetections(string name)
    {
        SnapshotData data = SnapshotData.Get(name);
        DetectionEngine engine = data.NewEngine();
        data.Feed(engine, 0, data.Count);
        engine.Finish();

        // Snapshots of engines that raised nothing would prove little.
        HashSet<string> fired = [.. engine.Context.Alerts.Alerts.Select(a => a.Detection)];
        string[] expected = name == "story"
            ? ["FW1001", "FW1002", "FW1003", "FW1004", "FW1005", "FW1006", "FW1007", "FW1008"]
            : ["FW1001", "FW1002", "FW1003", "FW1005", "FW1007", "FW1008"];
        Assert.Subset(fired, expected.ToHashSet());
        Assert.Contains(engine.Context.Evaluation.Entries, e => e.NotEvaluated.Count > 0);
    }

    /// <summary>Thousands of alerts, all open, and little state after them: an open alert's position in the
    /// list is larger than the bytes left, which must not read as damage (it did: found by the serve benchmark).</summary>
    [Fact]
    public void Read_ManyOpenAlerts_PositionsBeyondTheBytesLeft_ReadBack()
    {
        SnapshotData data = SnapshotData.Get("samples");
        var engine = new DetectionEngine([new AlertPerEvent()], new DetectionContext(data.Options, data.Indicators, data.Coverage));
        data.Feed(engine, 0, data.Count);
        Assert.True(engine.Context.Alerts.Alerts.Count > 1000);

        byte[] bytes = EngineSnapshot.Write(engine);
        DetectionEngine restored = EngineSnapshot.Read(bytes, [new AlertPerEvent()], data.Options, data.Indicators, data.Coverage);

        Assert.Equal(bytes, EngineSnapshot.Write(restored));
        Assert.Equal(engine.Context.Alerts.Alerts.Select(a => a.Id), restored.Context.Alerts.Alerts.Select(a => a.Id));
    }

    /// <summary>Raises one alert per event, each in a group of its own (so each stays open); keeps no state.</summary>
    private sealed class AlertPerEvent : IDetection
    {
        public string Id => "FW9999";

        public string Title => "Test: an alert per event";

        public void Observe(AuditEvent e, string tenant, DetectionContext context) =>
            context.Raise(this, new Finding { Evidence = e, Tenant = tenant, Group = e.RecordId, Severity = Severity.Low, Confidence = Confidence.Low, Reason = "test" });
    }

    [Fact]
    public void Read_SameBytesTwice_EnginesIndependent()
    {
        SnapshotData data = SnapshotData.Get("story");
        string expected = data.Uninterrupted();
        int cut = data.Count / 2;
        DetectionEngine live = data.NewEngine();
        data.Feed(live, 0, cut);
        byte[] bytes = EngineSnapshot.Write(live);

        DetectionEngine first = data.Restore(bytes);
        DetectionEngine second = data.Restore(bytes);
        int alertsBefore = second.Context.Alerts.Alerts.Count;
        data.Feed(first, cut, data.Count);
        string firstResult = SnapshotData.Finish(first);

        Assert.Equal(bytes, EngineSnapshot.Write(second));
        Assert.Equal(alertsBefore, second.Context.Alerts.Alerts.Count);
        Assert.Equal(bytes, EngineSnapshot.Write(live));
        Assert.True(first.Context.Alerts.Alerts.Count > alertsBefore);
        data.Feed(second, cut, data.Count);
        Assert.Equal(expected, firstResult);
        Assert.Equal(expected, SnapshotData.Finish(second));
    }

    [Fact]
    public void Read_ScratchEngineFinished_LiveEngineGoesOnUndisturbed()
    {
        SnapshotData data = SnapshotData.Get("story");
        string expected = data.Uninterrupted();
        DetectionEngine live = data.NewEngine();
        int cut = data.Count * 2 / 3;
        data.Feed(live, 0, cut);

        // The server's "what if the tail were final" look: restore, feed the tail, finish.
        DetectionEngine scratch = data.Restore(EngineSnapshot.Write(live));
        data.Feed(scratch, cut, cut + 50);
        SnapshotData.Finish(scratch);
        data.Feed(live, cut, data.Count);

        Assert.Equal(expected, SnapshotData.Finish(live));
    }

    [Fact]
    public void Read_AppAndMailboxInOtherCaseAfterRestore_StillKnown()
    {
        var s = new Scenario();
        s.Read(At(1, 9), mailbox: Bob, app: UnknownApp);
        s.Read(At(1, 10), mailbox: "BOB@contoso.com", app: UnknownApp.ToUpperInvariant());
        DetectionEngine uninterrupted = Engine();
        DetectionEngine live = Engine();
        uninterrupted.Process(s.Records[0], Tenant);
        uninterrupted.Process(s.Records[1], Tenant);
        live.Process(s.Records[0], Tenant);

        DetectionEngine restored = EngineSnapshot.Read(EngineSnapshot.Write(live), BuiltInDetections.Create(), new DetectionOptions(), new(), FakeCoverage.Nothing);
        restored.Process(s.Records[1], Tenant);

        // Keys compare without regard to case after a restore too: the second read is by a known app.
        Assert.Equal(1, restored.Context.Alerts.Alerts.Single(a => a.Detection == "FW1001").EvidenceCount);
        Assert.Equal(SnapshotData.Finish(uninterrupted), SnapshotData.Finish(restored));
    }

    private static DetectionEngine Engine() =>
        new(BuiltInDetections.Create(), new DetectionContext(new DetectionOptions(), new(), FakeCoverage.Nothing));
}
