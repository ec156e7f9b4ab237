using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Forgewatch.Core.Engine.Snapshots;

/// <summary>
/// The frame of every snapshot: <c>FWSNAP</c>, a kind byte, the format version (16 bits), the total length
/// and the offset of the event table (64 bits each, little-endian), the content, the event table, and a
/// SHA-256 of everything before it. The length tells a cut-off snapshot from a damaged one; the hash finds
/// any damage before a single value is read.
/// </summary>
internal static class SnapshotFormat
{
    /// <summary>The format written now. Bump it when any state written changes shape.</summary>
    public const ushort Version = 2;

    public const byte EngineKind = 1;
    public const byte CoverageKind = 2;
    public const int HeaderLength = 25;
    public const int HashLength = 32;

    private static ReadOnlySpan<byte> Magic => "FWSNAP"u8;

    public static void WriteHeader(Span<byte> snapshot, byte kind, long total, long eventsOffset)
    {
        Magic.CopyTo(snapshot);
        snapshot[6] = kind;
        BinaryPrimitives.WriteUInt16LittleEndian(snapshot[7..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(snapshot[9..], total);
        BinaryPrimitives.WriteInt64LittleEndian(snapshot[17..], eventsOffset);
    }

    public static void WriteHash(Span<byte> snapshot) =>
        SHA256.HashData(snapshot[..^HashLength], snapshot[^HashLength..]);

    /// <summary>Checks the frame; returns where the event table starts.</summary>
    public static int Check(ReadOnlySpan<byte> snapshot, byte kind)
    {
        string what = KindName(kind);
        if (snapshot.Length < 9)
        {
            bool ours = snapshot.Length <= Magic.Length ? Magic.StartsWith(snapshot) : snapshot.StartsWith(Magic);
            throw ours
                ? new SnapshotException(SnapshotFailure.Truncated, $"The {what} is cut off: {snapshot.Length} bytes.")
                : NotASnapshot();
        }

        if (!snapshot.StartsWith(Magic))
        {
            throw NotASnapshot();
        }

        if (snapshot[6] != kind)
        {
            throw new SnapshotException(SnapshotFailure.Corrupt, $"This is a {KindName(snapshot[6])}, not a {what}.");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(snapshot[7..]);
        if (version != Version)
        {
            throw new SnapshotException(SnapshotFailure.Version, $"The {what} is format version {version}; this build reads version {Version} only.");
        }

        if (snapshot.Length < HeaderLength)
        {
            throw new SnapshotException(SnapshotFailure.Truncated, $"The {what} is cut off: {snapshot.Length} bytes.");
        }

        long total = BinaryPrimitives.ReadInt64LittleEndian(snapshot[9..]);
        long eventsOffset = BinaryPrimitives.ReadInt64LittleEndian(snapshot[17..]);
        if (total < HeaderLength + HashLength || eventsOffset < HeaderLength || eventsOffset > total - HashLength)
        {
            throw new SnapshotException(SnapshotFailure.Corrupt, $"The {what}'s header is damaged.");
        }

        if (snapshot.Length < total)
        {
            throw new SnapshotException(SnapshotFailure.Truncated, $"The {what} is cut off: {snapshot.Length:N0} of its {total:N0} bytes.");
        }

        if (snapshot.Length > total)
        {
            throw new SnapshotException(SnapshotFailure.Corrupt, $"The {what} has {snapshot.Length - total:N0} bytes more than its {total:N0}.");
        }

        Span<byte> hash = stackalloc byte[HashLength];
        SHA256.HashData(snapshot[..^HashLength], hash);
        if (!hash.SequenceEqual(snapshot[^HashLength..]))
        {
            throw new SnapshotException(SnapshotFailure.Corrupt, $"The {what} fails its checksum: it was damaged.");
        }

        return (int)eventsOffset;
    }

    private static SnapshotException NotASnapshot() =>
        new(SnapshotFailure.Corrupt, "These bytes are not a Forgewatch snapshot (no FWSNAP header).");

    private static string KindName(byte kind) => kind switch
    {
        EngineKind => "detection engine snapshot",
        CoverageKind => "coverage snapshot",
        _ => $"snapshot of unknown kind {kind}",
    };
}
