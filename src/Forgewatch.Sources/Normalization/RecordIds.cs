using System.Security.Cryptography;

namespace Forgewatch.Sources.Normalization;

/// <summary>Record ids for records that carry none.</summary>
internal static class RecordIds
{
    /// <summary>An id for a record that carries none: the same bytes give the same id, so exact
    /// repeats are still counted once.</summary>
    public static string Synthetic(byte[] buffer, int start, int length)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer.AsSpan(start, length), hash);
        return "sha256:" + Convert.ToHexStringLower(hash[..16]);
    }
}
