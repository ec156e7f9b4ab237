using Forgewatch.Core.Coverage;

namespace Forgewatch.Core.Engine.Snapshots;

/// <summary>
/// Saves a <see cref="CoverageMap"/> as bytes and makes an equal map from them, which answers every question
/// alike and goes on taking events: a server keeps one per tenant beside its <see cref="EngineSnapshot"/>.
/// Same frame as the engine's (version, length, checksum). Thread-safe; the map must not change while it is written.
/// </summary>
public static class CoverageSnapshot
{
    public static byte[] Write(CoverageMap coverage)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        var w = new SnapshotWriter();
        coverage.WriteState(w);
        return w.ToSnapshot(SnapshotFormat.CoverageKind);
    }

    /// <summary>The map <paramref name="snapshot"/> was written from. Throws a <see cref="SnapshotException"/>
    /// when the bytes are cut off, damaged or of another format version; nothing else.</summary>
    public static CoverageMap Read(ReadOnlySpan<byte> snapshot)
    {
        SnapshotReader r = SnapshotReader.Open(snapshot, SnapshotFormat.CoverageKind);
        try
        {
            CoverageMap coverage = CoverageMap.ReadState(r);
            r.End();
            return coverage;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or IndexOutOfRangeException
            or InvalidOperationException or KeyNotFoundException or InvalidCastException or InvalidDataException)
        {
            throw r.Corrupt(e.Message, e);
        }
    }
}
