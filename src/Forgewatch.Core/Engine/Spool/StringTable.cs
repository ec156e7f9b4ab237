namespace Forgewatch.Core.Engine.Spool;

/// <summary>
/// The repeated strings of spooled events (tenants, users, applications, user agents, operations, folder
/// paths, files), stored once and referred to by number. Shared by the writer and the reader of one spool
/// in one process. Bounded: past <see cref="MaxEntries"/> strings are written inline instead, so hostile
/// input with endless distinct values cannot grow it without limit. Not thread-safe.
/// </summary>
internal sealed class StringTable
{
    public const int MaxEntries = 1 << 20;

    private const int RecentSlots = 256;

    private readonly int _maxEntries;
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _strings = [];
    private readonly string?[] _recentStrings = new string?[RecentSlots];
    private readonly int[] _recentIds = new int[RecentSlots];

    /// <summary>A table that numbers at most <paramref name="maxEntries"/> strings; with 0, every string is
    /// written inline and each event's bytes stand alone.</summary>
    public StringTable(int maxEntries = MaxEntries) => _maxEntries = maxEntries;

    public int Count => _strings.Count;

    /// <summary>The number of <paramref name="value"/>, added if new; -1 when the table is full.</summary>
    public int IdOf(string value)
    {
        // Readers share one string instance per distinct value, so most lookups hit a small table of
        // recent instances, found by identity hash, before the dictionary hashes any text.
        int slot = System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(value) & (RecentSlots - 1);
        if (ReferenceEquals(_recentStrings[slot], value))
        {
            return _recentIds[slot];
        }

        if (!_ids.TryGetValue(value, out int id))
        {
            if (_strings.Count >= _maxEntries)
            {
                return -1;
            }

            id = _strings.Count;
            _strings.Add(value);
            _ids[value] = id;
        }

        _recentStrings[slot] = value;
        _recentIds[slot] = id;
        return id;
    }

    public string this[int id] => _strings[id];
}
