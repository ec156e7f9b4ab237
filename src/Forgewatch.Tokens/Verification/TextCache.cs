using System.Text;

namespace Forgewatch.Tokens.Verification;

/// <summary>
/// The strings of claim values that repeat from token to token (issuer, tenant, audience, application), so
/// that a valid token's details do not allocate them anew each time. A direct-mapped table of 256 entries,
/// lock-free (entries are immutable and replaced whole), keyed by a per-process randomized hash: distinct
/// values only evict each other, so an attacker sending many cannot grow it.
/// </summary>
internal sealed class TextCache
{
    private const int Slots = 256;
    private const int MaxBytes = 256;
    private readonly Entry?[] _entries = new Entry?[Slots];

    public string? Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return null;
        }

        if (utf8.Length > MaxBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = new HashCode();
        hash.AddBytes(utf8);
        int slot = hash.ToHashCode() & (Slots - 1);
        Entry? entry = Volatile.Read(ref _entries[slot]);
        if (entry is not null && utf8.SequenceEqual(entry.Utf8))
        {
            return entry.Text;
        }

        string text = Encoding.UTF8.GetString(utf8);
        Volatile.Write(ref _entries[slot], new Entry(utf8.ToArray(), text));
        return text;
    }

    private sealed record Entry(byte[] Utf8, string Text);
}
