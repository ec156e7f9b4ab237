using System.Buffers.Binary;
using System.Security.Cryptography;
using Forgewatch.Core.Detections;
using Forgewatch.Core.Engine;
using Forgewatch.Core.Engine.Snapshots;
using Forgewatch.Core.Events;
using Forgewatch.Core.Indicators;
using Forgewatch.Core.Tests.Detections;

namespace Forgewatch.Core.Tests.Engine.Snapshots;

public sealed class EngineSnapshotFailureTests
{
    private static readonly Lazy<(SnapshotData Data, byte[] Bytes)> Small = new(() =>
    {
        // A short story cut before its end: held evidence, reads waiting for judgement and open alerts.
        SnapshotData data = SnapshotData.Story(days: 6, users: 3, seed: 7);
        DetectionEngine engine = data.NewEngine();
        data.Feed(engine, 0, data.Count - 3);
        return (data, EngineSnapshot.Write(engine));
    });

    private static SnapshotData Data => Small.Value.Data;

    private static byte[] Bytes => (byte[])Small.Value.Bytes.Clone();

    private static SnapshotException ReadFails(byte[] bytes, IReadOnlyList<IDetection>? detections = null) =>
        Assert.Throws<SnapshotException>(() => EngineSnapshot.Read(bytes, detections ?? BuiltInDetections.Create(), Data.Options, Data.Indicators, Data.Coverage));

    /// <summary>Magic, kind, version, length and where the event table starts.</summary>
    private const int SnapshotHeader = 25;

    private static void Rehash(byte[] bytes) => SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));

    [Fact]
    public void Read_SmallSnapshot_HoldsWhatTheFailureTestsDamage()
    {
        DetectionEngine restored = Data.Restore(Bytes);

        Assert.NotEmpty(restored.Context.Alerts.Alerts);
        Assert.Equal(Bytes, EngineSnapshot.Write(restored));
    }

    [Fact]
    public void Read_AByteFlipped_ThrowsSnapshotException()
    {
        byte[] original = Bytes;
        for (int i = 0; i < original.Length; i += i < SnapshotHeader ? 1 : 3)
        {
            byte[] bytes = Bytes;
            bytes[i] ^= 0x20;

            SnapshotException error = ReadFails(bytes);

            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            Assert.NotEqual(SnapshotFailure.DetectionsDiffer, error.Failure);
        }
    }

    [Fact]
    public void Read_FlippedByteWithChecksumMadeAgain_SnapshotExceptionOrAnEngine()
    {
        // Past the checksum (forged, or written by other code), the reader still checks what it reads:
        // whatever the bytes, a SnapshotException or an engine, never another exception. Every byte of the
        // state; of the event table (EventBytes' own format), a sample.
        byte[] original = Bytes;
        long eventTable = BinaryPrimitives.ReadInt64LittleEndian(original.AsSpan(17));
        int failures = 0;
        int tries = 0;
        for (int i = 0; i < original.Length - 32; i += i < eventTable ? 1 : 16)
        {
            byte[] bytes = Bytes;
            bytes[i] ^= (byte)(1 << (i % 8));
            Rehash(bytes);
            tries++;
            try
            {
                Data.Restore(bytes);
            }
            catch (SnapshotException)
            {
                failures++;
            }
        }

        Assert.True(failures > tries / 10, $"{failures} of {tries}");
    }

    [Fact]
    public void Read_CutOffAnywhere_ThrowsTruncated()
    {
        byte[] bytes = Bytes;
        for (int length = 0; length < bytes.Length; length++)
        {
            SnapshotException error = ReadFails(bytes[..length]);

            Assert.Equal(SnapshotFailure.Truncated, error.Failure);
        }
    }

    [Fact]
    public void Read_BytesAppended_ThrowsCorrupt()
    {
        SnapshotException error = ReadFails([.. Bytes, 0]);

        Assert.Equal(SnapshotFailure.Corrupt, error.Failure);
    }

    [Fact]
    public void Read_OtherFormatVersion_ThrowsVersion()
    {
        byte[] bytes = Bytes;
        int other = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(7)) + 1;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(7), (ushort)other);
        Rehash(bytes);

        SnapshotException error = ReadFails(bytes);

        Assert.Equal(SnapshotFailure.Version, error.Failure);
        Assert.Contains($"version {other}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OtherDetections_ThrowsDetectionsDiffer()
    {
        IReadOnlyList<IDetection> all = BuiltInDetections.Create();
        IDetection[][] others =
        [
            [.. all.Skip(1)],
            [.. all.Reverse()],
            [.. all, new MailboxTakeoverStep()],
            [],
        ];

        foreach (IDetection[] detections in others)
        {
            SnapshotException error = ReadFails(Bytes, detections);

            Assert.Equal(SnapshotFailure.DetectionsDiffer, error.Failure);
            Assert.Contains("FW1001", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Read_NotASnapshot_ThrowsCorrupt()
    {
        Assert.Equal(SnapshotFailure.Corrupt, ReadFails("{\"not\": \"a snapshot\"}"u8.ToArray()).Failure);
        Assert.Equal(SnapshotFailure.Corrupt, ReadFails(CoverageSnapshot.Write(Data.Coverage)).Failure);
        Assert.Equal(SnapshotFailure.Corrupt, Assert.Throws<SnapshotException>(() => CoverageSnapshot.Read(Bytes)).Failure);
    }

    [Fact]
    public void Write_DetectionWithStateButNoSnapshotSupport_Refused()
    {
        var engine = new DetectionEngine([.. BuiltInDetections.Create(), new Counting()], new DetectionContext(new DetectionOptions(), new IndicatorSet(), FakeCoverage.Nothing));

        SnapshotException error = Assert.Throws<SnapshotException>(() => EngineSnapshot.Write(engine));

        Assert.Equal(SnapshotFailure.NotSupported, error.Failure);
        Assert.Contains("TEST-COUNT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_DetectionWithoutState_Accepted()
    {
        IDetection[] detections = [new Stateless(), new MailboxTakeoverStep()];
        var engine = new DetectionEngine(detections, new DetectionContext(new DetectionOptions(), new IndicatorSet(), FakeCoverage.Nothing));

        DetectionEngine restored = EngineSnapshot.Read(EngineSnapshot.Write(engine), [new Stateless(), new MailboxTakeoverStep()], new DetectionOptions(), new IndicatorSet(), FakeCoverage.Nothing);

        Assert.Equal(["TEST-NONE", "FW1007"], restored.Detections.Select(d => d.Id));
    }

    /// <summary>Keeps state in a field and cannot write it.</summary>
    private sealed class Counting : IDetection
    {
        private int _seen;

        public string Id => "TEST-COUNT";

        public string Title => "counts";

        public void Observe(AuditEvent e, string tenant, DetectionContext context) => _seen++;
    }

    private sealed class Stateless : IDetection
    {
        public string Id => "TEST-NONE";

        public string Title => "keeps nothing";

        public void Observe(AuditEvent e, string tenant, DetectionContext context)
        {
        }
    }
}
