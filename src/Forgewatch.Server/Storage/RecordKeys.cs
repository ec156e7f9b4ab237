using System.Buffers.Binary;
using Forgewatch.Core.Events;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Server.Storage;

/// <summary>
/// What the stores deduplicate events by: <c>scan</c>'s own record key (<see cref="RecordDeduplicator.KeyOf"/>:
/// the vendor's record id within its log family, a GUID as its 16 bytes), written big-endian in 16 bytes. Far
/// smaller than the id's text in the unique index that every stored event goes into.
/// </summary>
public static class RecordKeys
{
    public const int Length = 16;

    public static byte[] Of(AuditEvent e)
    {
        byte[] key = new byte[Length];
        BinaryPrimitives.WriteUInt128BigEndian(key, RecordDeduplicator.KeyOf(e));
        return key;
    }
}
