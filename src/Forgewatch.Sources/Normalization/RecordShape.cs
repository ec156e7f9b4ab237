using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Forgewatch.Sources.Normalization;

/// <summary>
/// Remembers the member names of a record in order, so that the next record's names are matched by one
/// comparison each rather than hashed: records of one export share their member order. Optional
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

    private readonly Known[] _known = new Known[MaxMembers];
    private int _count;

    private readonly Seen[] _seen = new Seen[MaxMembers];
    private int _seenCount;
    private int _cursor;
    private bool _learn;

    public void BeginRecord()
    {
        _cursor = 0;
        _seenCount = 0;
        _learn = false;
    }

    /// <summary>The member the learned order expects next, as compact JSON writes it after another
    /// member (<c>,"Name":</c>, for <see cref="JsonScanner.NextMember(ReadOnlySpan{byte}, out bool)"/>);
    /// empty when the order has no more.</summary>
    public ReadOnlySpan<byte> ExpectedMember
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (_cursor >= _count)
            {
                return default;
            }

            ref Known known = ref _known[_cursor];
            return known.Member.AsSpan(0, known.Length + 4);
        }
    }

    /// <summary>The field of the member the reader is on, which the scanner found to be
    /// <see cref="ExpectedMember"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Field TakeExpected(ref JsonScanner reader)
    {
        Field field = _known[_cursor++].Field;
        if (_seenCount < MaxMembers)
        {
            _seen[_seenCount++] = new Seen(reader.NameStart, reader.NameSpan.Length, field);
        }

        return field;
    }

    /// <summary>The field of the name of the member the reader is on (see <see cref="JsonScanner.NextMember()"/>).</summary>
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

        // Length and first eight bytes decide almost every comparison without a call.
        ulong prefix = Prefix(name);
        Field field = Field.None;
        bool found = false;
        int limit = Math.Min(_count, _cursor + Lookahead + 1);
        for (int i = _cursor; i < limit; i++)
        {
            ref Known known = ref _known[i];
            if (known.Length == name.Length && known.Prefix == prefix && (name.Length <= 8 || name[8..].SequenceEqual(known.Member.AsSpan(10, name.Length - 8))))
            {
                _cursor = i + 1;
                field = known.Field;
                found = true;
                break;
            }
        }

        if (!found)
        {
            field = FieldNames.Lookup(name);
            _learn = true;
        }

        if (_seenCount < MaxMembers)
        {
            _seen[_seenCount++] = new Seen(reader.NameStart, name.Length, field);
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

        for (int i = 0; i < _seenCount; i++)
        {
            Seen seen = _seen[i];
            ref Known known = ref _known[i];
            known.Member ??= new byte[MaxNameLength + 4];
            ReadOnlySpan<byte> name = record.Slice(seen.Start, seen.Length);
            known.Member[0] = (byte)',';
            known.Member[1] = (byte)'"';
            name.CopyTo(known.Member.AsSpan(2));
            known.Member[name.Length + 2] = (byte)'"';
            known.Member[name.Length + 3] = (byte)':';
            known.Length = seen.Length;
            known.Prefix = Prefix(name);
            known.Field = seen.Field;
        }

        _count = _seenCount;
    }

    private static ulong Prefix(ReadOnlySpan<byte> name)
    {
        if (name.Length >= 8)
        {
            return BinaryPrimitives.ReadUInt64LittleEndian(name);
        }

        ulong prefix = 0;
        for (int i = 0; i < name.Length; i++)
        {
            prefix |= (ulong)name[i] << (8 * i);
        }

        return prefix;
    }

    private struct Known
    {
        /// <summary>The member as compact JSON writes it: <c>,"Name":</c> (the scanner compares all of it).</summary>
        public byte[] Member;
        public int Length;
        public ulong Prefix;
        public Field Field;
    }

    private readonly record struct Seen(int Start, int Length, Field Field);
}
