using System.Reflection;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Indicators;

namespace Forgewatch.Core.Engine.Snapshots;

/// <summary>
/// Saves a <see cref="DetectionEngine"/> as bytes and makes an equal engine from them: the same output for
/// the same events that follow. A server keeps one per tenant to resume after a restart without learning
/// baselines anew ("snapshot plus replay"), or restores one into a scratch engine to try out events that
/// are not final yet. Written: the detection ids, every detection's state in engine order, the alerts
/// raised so far with their merge state, the evaluation counts and the engine's clock. Not written: the
/// options, indicators and coverage, which the host passes again (a snapshot read with other options goes
/// on under those). Thread-safe; the engine must not be used while it is written.
/// </summary>
public static class EngineSnapshot
{
    /// <summary>Writes everything the future output of <paramref name="engine"/> depends on. Throws a
    /// <see cref="SnapshotException"/> (<see cref="SnapshotFailure.NotSupported"/>) when a detection keeps
    /// state (has instance fields) but does not implement <see cref="ISnapshotState"/>.</summary>
    public static byte[] Write(DetectionEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        CheckWritable(engine);
        var w = new SnapshotWriter();
        WriteContent(w, engine);
        return w.ToSnapshot(SnapshotFormat.EngineKind);
    }

    /// <summary>
    /// An engine equal to <paramref name="engine"/>, made of <paramref name="freshDetections"/> and a new context,
    /// as <see cref="Read"/> would make from <see cref="Write"/>'s bytes, without encoding the events the state
    /// holds: the copy shares them (events do not change) and nothing else. For a scratch engine that tries out
    /// events that are not final yet; much cheaper than a snapshot when the state holds many events.
    /// </summary>
    public static DetectionEngine Copy(
        DetectionEngine engine,
        IReadOnlyList<IDetection> freshDetections,
        DetectionOptions options,
        IndicatorSet indicators,
        ILogCoverage coverage)
    {
        ArgumentNullException.ThrowIfNull(engine);
        CheckWritable(engine);
        var w = new SnapshotWriter(shareEvents: true);
        WriteContent(w, engine);
        return ReadContent(SnapshotReader.OpenCopy(w.ToCopy()), freshDetections, options, indicators, coverage);
    }

    private static void CheckWritable(DetectionEngine engine)
    {
        foreach (IDetection detection in engine.Detections)
        {
            if (detection is not ISnapshotState && HasFields(detection.GetType()))
            {
                throw new SnapshotException(
                    SnapshotFailure.NotSupported,
                    $"Detection {detection.Id} ({detection.GetType().Name}) keeps state but cannot write it: it does not implement {nameof(ISnapshotState)}.");
            }
        }
    }

    private static void WriteContent(SnapshotWriter w, DetectionEngine engine)
    {
        w.WriteItems(engine.Detections, static (w, d) => w.WriteString(d.Id));
        (long minute, DateTime now) = engine.Clock;
        w.WriteInt64(minute);
        w.WriteTime(now);
        w.WriteInt64(engine.Events);
        foreach (IDetection detection in engine.Detections)
        {
            w.Block(w => (detection as ISnapshotState)?.WriteState(w));
        }

        engine.Context.Alerts.WriteState(w);
        engine.Context.Evaluation.WriteState(w);
    }

    /// <summary>
    /// An engine equal to the one <paramref name="snapshot"/> was written from, made of
    /// <paramref name="freshDetections"/> (new instances with the same ids in the same order, as
    /// <see cref="BuiltInDetections.Create"/> makes them) and a new context of the given options, indicators
    /// and coverage. Each call makes an engine of its own, sharing nothing with others read from the same
    /// bytes. Throws a <see cref="SnapshotException"/> when the bytes are cut off, damaged, of another format
    /// version, or of other detections; nothing else.
    /// </summary>
    public static DetectionEngine Read(
        ReadOnlySpan<byte> snapshot,
        IReadOnlyList<IDetection> freshDetections,
        DetectionOptions options,
        IndicatorSet indicators,
        ILogCoverage coverage)
    {
        return ReadContent(SnapshotReader.Open(snapshot, SnapshotFormat.EngineKind), freshDetections, options, indicators, coverage);
    }

    private static DetectionEngine ReadContent(
        SnapshotReader r,
        IReadOnlyList<IDetection> freshDetections,
        DetectionOptions options,
        IndicatorSet indicators,
        ILogCoverage coverage)
    {
        ArgumentNullException.ThrowIfNull(freshDetections);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(indicators);
        ArgumentNullException.ThrowIfNull(coverage);
        try
        {
            var ids = new List<string>();
            r.ReadItems(r => ids.Add(r.ReadString()));
            if (!ids.SequenceEqual(freshDetections.Select(d => d.Id), StringComparer.Ordinal))
            {
                throw new SnapshotException(
                    SnapshotFailure.DetectionsDiffer,
                    $"The snapshot holds detections {string.Join(", ", ids)}; it cannot be read into {string.Join(", ", freshDetections.Select(d => d.Id))}.");
            }

            var engine = new DetectionEngine(freshDetections, new DetectionContext(options, indicators, coverage));
            long minute = r.ReadInt64();
            DateTime now = r.ReadTime();
            long events = r.ReadInt64();
            engine.Restore(minute, now, events);
            foreach (IDetection detection in freshDetections)
            {
                r.Block(detection.Id, r =>
                {
                    if (detection is ISnapshotState state)
                    {
                        state.ReadState(r);
                    }
                });
            }

            engine.Context.Alerts.ReadState(r);
            engine.Context.Evaluation.ReadState(r);
            r.End();
            return engine;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or IndexOutOfRangeException
            or InvalidOperationException or KeyNotFoundException or InvalidCastException or InvalidDataException)
        {
            // The checksum held, so these bytes were written by code that reads differently (or forged).
            throw r.Corrupt(e.Message, e);
        }
    }

    /// <summary>True when instances of <paramref name="type"/> have fields, i.e. may keep state.</summary>
    private static bool HasFields(Type type)
    {
        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            if (t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly).Length > 0)
            {
                return true;
            }
        }

        return false;
    }
}
