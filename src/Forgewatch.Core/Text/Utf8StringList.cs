using System.Collections;
using System.Text;

namespace Forgewatch.Core.Text;

/// <summary>
/// A read-only list of strings kept as UTF-8 bytes and decoded when an item is read. Mail access records
/// list the InternetMessageId of every message read, millions per scan, and almost none is ever shown:
/// holding them as UTF-8 in one buffer per record takes half the memory of strings and one allocation
/// instead of one per id. Several lists may share a buffer (the folders of one record do).
/// </summary>
public sealed class Utf8StringList : IReadOnlyList<string>
{
    private readonly byte[] _utf8;
    private readonly int[] _bounds;
    private readonly int _first;

    /// <summary>A list of <paramref name="count"/> strings: item i is
    /// <paramref name="utf8"/>[<paramref name="bounds"/>[first + i] .. <paramref name="bounds"/>[first + i + 1]].</summary>
    public Utf8StringList(byte[] utf8, int[] bounds, int first, int count)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        ArgumentNullException.ThrowIfNull(bounds);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > 0 && (first + count >= bounds.Length || bounds[first] < 0 || bounds[first + count] > utf8.Length))
        {
            throw new ArgumentException("The bounds do not lie within the buffer.", nameof(bounds));
        }

        _utf8 = utf8;
        _bounds = bounds;
        _first = first;
        Count = count;
    }

    public static Utf8StringList Empty { get; } = new([], [0], 0, 0);

    /// <summary>Builds a list from strings (for tests and callers that have strings already).</summary>
    public static Utf8StringList From(IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var bytes = new List<byte>();
        var bounds = new List<int> { 0 };
        foreach (string item in items)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(item));
            bounds.Add(bytes.Count);
        }

        return new Utf8StringList([.. bytes], [.. bounds], 0, bounds.Count - 1);
    }

    public int Count { get; }

    public string this[int index] => Encoding.UTF8.GetString(GetUtf8(index));

    /// <summary>Item <paramref name="index"/> as the UTF-8 bytes it was read as.</summary>
    public ReadOnlySpan<byte> GetUtf8(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        int start = _bounds[_first + index];
        return _utf8.AsSpan(start, _bounds[_first + index + 1] - start);
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
