using System.Text.Json;

namespace Forgewatch.Sources.Normalization;

/// <summary>
/// Remembers the member names of the last record in order. Records of one export share their member
/// order, so the n-th name is checked against the n-th name of the last record (one byte comparison)
/// before the hash table is asked. Not thread-safe: one per <see cref="RecordFields"/>.
/// </summary>
internal sealed class RecordShape
{
    private const int MaxMembers = 128;
    private const int MaxNameLength = 64;
    private readonly byte[][] _names = new byte[MaxMembers][];
    private readonly int[] _lengths = new int[MaxMembers];
    private readonly Field[] _fields = new Field[MaxMembers];

    public Field Lookup(ref Utf8JsonReader reader, int index, scoped Span<byte> nameBuffer)
    {
        if (index >= MaxMembers || reader.ValueIsEscaped)
        {
            return RecordFields.LookupName(ref reader, nameBuffer);
        }

        ReadOnlySpan<byte> name = reader.ValueSpan;
        byte[]? expected = _names[index];
        if (expected is not null && _lengths[index] == name.Length && name.SequenceEqual(expected.AsSpan(0, name.Length)))
        {
            return _fields[index];
        }

        Field field = FieldNames.Lookup(name);
        if (name.Length <= MaxNameLength)
        {
            expected ??= _names[index] = new byte[MaxNameLength];
            name.CopyTo(expected);
            _lengths[index] = name.Length;
            _fields[index] = field;
        }

        return field;
    }
}
