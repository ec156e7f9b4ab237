namespace Forgewatch.Sources.Normalization;

/// <summary>
/// Remembers the member names of a record in order, so that the next record's names are matched by one
/// byte comparison each rather than hashed: records of one export share their member order. Optional
/// members come and go (a record without <c>SessionId</c>), so a name is also tried against the few
/// names after the expected one; a record with a member the learned order lacks is learned in its
/// place. Not thread-safe: one per <see cref="RecordFields"/>.
/// </summary>
internal sealed class RecordShape
{
    private const int MaxMembers = 128;

    /// <summary>Longer than any name <see cref="FieldNames"/> knows: a longer name is no field.</summary>
    private const int MaxNameLength = 64;

    /// <summary>How many missing members in a row are stepped over.</summary>
    private const int Lookahead = 3;

    private readonly byte[][] _names = new byte[MaxMembers][];
    private readonly int[] _lengths = new int[MaxMembers];
    private readonly Field[] _fields = new Field[MaxMembers];
    private int _count;

    private readonly int[] _seenStarts = new int[MaxMembers];
    private readonly int[] _seenLengths = new int[MaxMembers];
    private readonly Field[] _seenFields = new Field[MaxMembers];
    private int _seen;
    private int _cursor;
    private bool _learn;

    public void BeginRecord()
    {
        _cursor = 0;
        _seen = 0;
        _learn = false;
    }

    /// <summary>The field of the name of the member the reader is on (see <see cref="JsonScanner.NextMember"/>).</summary>
    public Field Lookup(ref JsonScanner reader, scoped Span<byte> nameBuffer)
    {
        if (reader.NameIsEscaped)
        {
            return RecordFields.LookupName(ref reader, nameBuffer);
        }

        ReadOnlySpan<byte> name = reader.NameSpan;
        if (name.Length > MaxNameLength)
        {
            return Field.None;
        }

        Field field = Field.None;
        bool found = false;
        int limit = Math.Min(_count, _cursor + Lookahead + 1);
        for (int i = _cursor; i < limit; i++)
        {
            if (_lengths[i] == name.Length && name.SequenceEqual(_names[i].AsSpan(0, name.Length)))
            {
                _cursor = i + 1;
                field = _fields[i];
                found = true;
                break;
            }
        }

        if (!found)
        {
            field = FieldNames.Lookup(name);
            _learn = true;
        }

        if (_seen < MaxMembers)
        {
            _seenStarts[_seen] = reader.NameStart;
            _seenLengths[_seen] = name.Length;
            _seenFields[_seen] = field;
            _seen++;
        }

        return field;
    }

    /// <summary>Learns the record's member order if it had a name the learned order did not.</summary>
    public void EndRecord(ReadOnlySpan<byte> record)
    {
        if (!_learn)
        {
            return;
        }

        for (int i = 0; i < _seen; i++)
        {
            byte[] name = _names[i] ??= new byte[MaxNameLength];
            record.Slice(_seenStarts[i], _seenLengths[i]).CopyTo(name);
            _lengths[i] = _seenLengths[i];
            _fields[i] = _seenFields[i];
        }

        _count = _seen;
    }
}
