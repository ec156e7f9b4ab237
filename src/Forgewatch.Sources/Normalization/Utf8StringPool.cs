using System.Runtime.InteropServices;
using System.Text;

namespace Forgewatch.Sources.Normalization;

/// <summary>
/// Turns UTF-8 bytes into strings, reusing one string per distinct value. Audit logs repeat the same
/// tenants, users, application ids, operations and client strings millions of times; pooling them saves
/// both the decoding and the memory of every event kept. Not thread-safe: one pool per worker.
/// Hand-written because the BCL's string interning works on strings, not on bytes, so it would make us
/// decode first, which is the cost being avoided.
/// </summary>
internal sealed class Utf8StringPool
{
    private const int MaxPooledLength = 160;
    private readonly Entry[] _entries;
    private readonly int _mask;
    private int _count;

    public Utf8StringPool(int capacityPowerOfTwo = 15)
    {
        _entries = new Entry[1 << capacityPowerOfTwo];
        _mask = _entries.Length - 1;
    }

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length == 0)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxPooledLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        uint hash = Hash(utf8);
        int slot = (int)(hash & (uint)_mask);
        while (true)
        {
            ref Entry entry = ref _entries[slot];
            if (entry.Value is null)
            {
                break;
            }

            if (entry.Hash == hash && utf8.SequenceEqual(entry.Key))
            {
                return entry.Value;
            }

            slot = (slot + 1) & _mask;
        }

        string value = Encoding.UTF8.GetString(utf8);
        if (_count >= _entries.Length / 2)
        {
            // Pool full of one-off values (ids that were not worth pooling): start over rather than grow.
            Array.Clear(_entries);
            _count = 0;
            slot = (int)(hash & (uint)_mask);
        }

        _entries[slot] = new Entry(hash, utf8.ToArray(), value);
        _count++;
        return value;
    }

    private static uint Hash(ReadOnlySpan<byte> data)
    {
        // Every byte counts: log values that differ often differ in one digit in the middle
        // (user.0486@ vs user.0487@), and a hash that samples would chain them all in one slot.
        ulong h = 0x9E3779B97F4A7C15UL ^ (ulong)data.Length;
        while (data.Length >= 8)
        {
            h = (h ^ MemoryMarshal.Read<ulong>(data)) * 0xFF51AFD7ED558CCDUL;
            h ^= h >> 29;
            data = data[8..];
        }

        if (data.Length > 0)
        {
            ulong tail = 0;
            for (int i = 0; i < data.Length; i++)
            {
                tail |= (ulong)data[i] << (8 * i);
            }

            h = (h ^ tail) * 0xC4CEB9FE1A85EC53UL;
        }

        h ^= h >> 32;
        return (uint)h;
    }

    private readonly record struct Entry(uint Hash, byte[] Key, string Value);
}
