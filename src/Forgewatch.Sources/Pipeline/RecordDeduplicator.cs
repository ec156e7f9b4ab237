using System.Security.Cryptography;
using System.Text;
using Forgewatch.Core.Events;
using Forgewatch.Core.Text;

namespace Forgewatch.Sources.Pipeline;

/// <summary>
/// Counts a record once however often it is read: the same UAL record arrives through the Management
/// API, a Purview export and a SIEM. Keyed by the vendor's record id within its log family (UAL ids and
/// Entra sign-in ids are separate namespaces). Keeps 16 bytes per distinct record, so memory grows with
/// the number of records, not their size (about 40 MB per million). Not thread-safe.
/// </summary>
public sealed class RecordDeduplicator
{
    private readonly HashSet<UInt128> _seen = [];

    public int Count => _seen.Count;

    /// <summary>True the first time a record id is seen, false for every repeat.</summary>
    public bool IsFirst(AuditEvent e) => _seen.Add(KeyOf(e));

    /// <summary>The 128-bit key a record is counted by: the same for every copy of it, different for every
    /// other record.</summary>
    public static UInt128 KeyOf(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Key(e.Log.IsEntraSignIn(), e.RecordKey);
    }

    internal static UInt128 Key(bool entra, Identifier recordId)
    {
        UInt128 family = entra ? UInt128.One << 127 : UInt128.Zero;
        if (recordId.TryGetGuid(out Guid guid) || Guid.TryParse(recordId.Text, out guid))
        {
            Span<byte> bytes = stackalloc byte[16];
            guid.TryWriteBytes(bytes);
            return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(bytes) ^ family;
        }

        // Ids that are not GUIDs (synthetic content hashes, odd exports) are keyed by a SHA-256 prefix.
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(recordId.ToString()), hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash) ^ family;
    }
}
