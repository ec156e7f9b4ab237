namespace Forgewatch.Sources.Normalization;

/// <summary>
/// The last few distinct texts of a nested member whose whole value repeats from record to record, each
/// with what it was read as. <c>OperationProperties</c> of a mail access is one of four texts in a whole
/// file (Bind or Sync, throttled or not): a value met before is recognised by one comparison and skipped
/// whole (<see cref="JsonScanner.TrySkipKnown"/>), instead of being scanned and read member by member.
/// Only texts this worker's scanner has read as valid JSON are kept, and none with a line end (which
/// JSON Lines does not allow inside a record). Not thread-safe: one per worker.
/// </summary>
internal sealed class KnownValues<T>(int capacity = 8, int maxLength = 256)
{
    private readonly byte[][] _texts = new byte[capacity][];
    private readonly T[] _values = new T[capacity];
    private int _count;
    private int _next;

    /// <summary>With the reader on the start of an object or array: when its text is a known one,
    /// consumes it and gives what it was read as.</summary>
    public bool TryTake(ref JsonScanner reader, out T value)
    {
        for (int i = 0; i < _count; i++)
        {
            if (reader.TrySkipKnown(_texts[i]))
            {
                value = _values[i];
                return true;
            }
        }

        value = default!;
        return false;
    }

    /// <summary>Remembers <paramref name="text"/> (a whole object or array, just read as valid) as
    /// <paramref name="value"/>, in place of the oldest when full.</summary>
    public void Add(ReadOnlySpan<byte> text, T value)
    {
        if (text.Length > maxLength || text.Length < 2 || text.Contains((byte)'\n'))
        {
            return;
        }

        _texts[_next] = text.ToArray();
        _values[_next] = value;
        _next = (_next + 1) % _texts.Length;
        if (_count < _texts.Length)
        {
            _count++;
        }
    }
}
