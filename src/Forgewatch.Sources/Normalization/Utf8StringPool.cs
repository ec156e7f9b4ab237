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
    private Utf8StringPool? _escaped;

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
        return Find(utf8, hash, out int slot) ?? Insert(utf8, hash, slot, Encoding.UTF8.GetString(utf8));
    }

    /// <summary>The string kept for <paramref name="key"/>, if any. For pools whose keys are not the
    /// strings' own UTF-8 (see <see cref="Escaped"/>); with <see cref="Add"/>.</summary>
    public bool TryGet(ReadOnlySpan<byte> key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        value = key.Length is > 0 and <= MaxPooledLength ? Find(key, Hash(key), out _) : null;
        return value is not null;
    }

    /// <summary>Keeps <paramref name="value"/> for <paramref name="key"/> (after <see cref="TryGet"/> found none).</summary>
    public void Add(ReadOnlySpan<byte> key, string value)
    {
        if (key.Length is > 0 and <= MaxPooledLength)
        {
            uint hash = Hash(key);
            if (Find(key, hash, out int slot) is null)
            {
                Insert(key, hash, slot, value);
            }
        }
    }

    /// <summary>A second pool, for strings kept by their raw JSON text, escapes as written (folder paths
    /// are escaped in every record: <c>\\Inbox</c>); its keys must never meet this pool's, where the key
    /// is the string's own UTF-8.</summary>
    public Utf8StringPool Escaped => _escaped ??= new Utf8StringPool(10);

    private string? Find(ReadOnlySpan<byte> key, uint hash, out int slot)
    {
        slot = (int)(hash & (uint)_mask);
        while (true)
        {
            ref Entry entry = ref _entries[slot];
            if (entry.Value is null)
            {
                return null;
            }

            if (entry.Hash == hash && key.SequenceEqual(entry.Key))
            {
                return entry.Value;
            }

            slot = (slot + 1) & _mask;
        }
    }

    private string Insert(ReadOnlySpan<byte> key, uint hash, int slot, string value)
    {
        if (_count >= _entries.Length / 2)
        {
            // Pool full of one-off values (ids that were not worth pooling): start over rather than grow.
            Array.Clear(_entries);
            _count = 0;
            slot = (int)(hash & (uint)_mask);
        }

        _entries[slot] = new Entry(hash, key.ToArray(), value);
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
