namespace Forgewatch.Simulator.Randomness;

/// <summary>
/// The simulator's source of randomness: SplitMix64, written here rather than taken from
/// <see cref="Random"/> because the same seed must give the same bytes on every .NET version and machine,
/// which <see cref="Random"/> does not promise. <see cref="Fork"/> derives an independent stream from a
/// label, so that adding a draw to one user's day does not change every other user's. Not thread-safe.
/// </summary>
internal sealed class SimRandom
{
    private ulong _state;

    public SimRandom(ulong seed) => _state = seed;

    /// <summary>A new stream for <paramref name="label"/>, the same for the same seed and label.</summary>
    public SimRandom Fork(string label)
    {
        ulong hash = 14695981039346656037UL ^ _state;
        foreach (char c in label)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return new SimRandom(Mix(hash));
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>A number in [0, <paramref name="bound"/>).</summary>
    public int Below(int bound) => bound <= 1 ? 0 : (int)(NextUInt64() % (ulong)bound);

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Between(int min, int max) => min + Below(max - min + 1);

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Below(items.Count)];

    /// <summary>A version-4 GUID in the canonical lower-case form: <see cref="NextGuid"/> as text.</summary>
    public string Guid() => NextGuid().ToString();

    /// <summary>A version-4 GUID. Record ids stay GUIDs until written: a string per record would be made
    /// only to be copied into the JSON.</summary>
    public System.Guid NextGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, NextUInt64());
        BitConverter.TryWriteBytes(bytes[8..], NextUInt64());
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new System.Guid(bytes);
    }

    /// <summary>A token identifier as Entra writes <c>uniqueTokenIdentifier</c> (22 base64url characters).</summary>
    public string Token()
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, NextUInt64());
        BitConverter.TryWriteBytes(bytes[8..], NextUInt64());
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
