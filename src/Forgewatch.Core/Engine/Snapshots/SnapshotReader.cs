using System.Buffers.Binary;
using System.Text;
using Forgewatch.Core.Events;

namespace Forgewatch.Core.Engine.Snapshots;

/// <summary>
/// Reads back what <see cref="SnapshotWriter"/> wrote, in the same order. Every value is checked as it is
/// read (counts against the bytes left, times, references), so that bytes which pass the checksum but were
/// not written by the same code fail with a <see cref="SnapshotException"/>. Not thread-safe.
/// </summary>
public sealed class SnapshotReader
{
    private readonly byte[] _data;
    private readonly List<string> _strings = [];
    private readonly AuditEvent[] _events;
    private int _position;
    private int _end;

    private SnapshotReader(byte[] data, int eventsOffset)
    {
        _data = data;
        _position = eventsOffset;
        _end = data.Length - SnapshotFormat.HashLength;
        _events = new AuditEvent[ReadCount()];
        for (int i = 0; i < _events.Length; i++)
        {
            int length = ReadCount();
            Need(length);
            try
            {
                _events[i] = EventBytes.Decode(_data.AsSpan(_position, length));
            }
            catch (Exception e) when (e is FormatException or InvalidDataException or ArgumentException or OverflowException or IndexOutOfRangeException)
            {
                throw Corrupt($"event {i} of the snapshot does not decode: {e.Message}", e);
            }

            _position += length;
        }

        if (_position != _end)
        {
            throw Corrupt("the event table does not end where the checksum starts");
        }

        _position = SnapshotFormat.HeaderLength;
        _end = eventsOffset;
    }

    /// <summary>A reader of what a writer that shares its events wrote (<see cref="SnapshotWriter.ToCopy"/>).</summary>
    private SnapshotReader(byte[] content, AuditEvent[] events)
    {
        _data = content;
        _events = events;
        _position = 0;
        _end = content.Length;
    }

    internal static SnapshotReader OpenCopy((byte[] Content, AuditEvent[] Events) copy) => new(copy.Content, copy.Events);

    /// <summary>A reader of <paramref name="snapshot"/> after its frame was checked and its events decoded.</summary>
    internal static SnapshotReader Open(ReadOnlySpan<byte> snapshot, byte kind)
    {
        int eventsOffset = SnapshotFormat.Check(snapshot, kind);
        return new SnapshotReader(snapshot.ToArray(), eventsOffset);
    }

    public bool ReadBoolean() => ReadByte() switch
    {
        0 => false,
        1 => true,
        byte other => throw Corrupt($"{other} is no boolean"),
    };

    public byte ReadByte()
    {
        Need(1);
        return _data[_position++];
    }

    public int ReadInt32()
    {
        Need(4);
        int value = BinaryPrimitives.ReadInt32LittleEndian(_data.AsSpan(_position));
        _position += 4;
        return value;
    }

    public long ReadInt64()
    {
        Need(8);
        long value = BinaryPrimitives.ReadInt64LittleEndian(_data.AsSpan(_position));
        _position += 8;
        return value;
    }

    /// <summary>A count or length; never more than the bytes left, so that damage cannot ask for a huge
    /// allocation (every item written takes at least a byte).</summary>
    public int ReadCount()
    {
        ulong value = VarUInt();
        return value <= (ulong)(_end - _position) ? (int)value : throw Corrupt($"a count of {value} is more than the {_end - _position} bytes left");
    }

    /// <summary>A position in a list of <paramref name="count"/> items read before (written with
    /// <see cref="SnapshotWriter.WriteCount"/>): unlike a count, it is bounded by the list, not by the bytes left.</summary>
    public int ReadIndex(int count)
    {
        ulong value = VarUInt();
        return value < (ulong)count ? (int)value : throw Corrupt($"position {value} of a list of {count}");
    }

    public DateTime ReadTime()
    {
        ulong raw = (ulong)ReadInt64();
        ulong kind = raw >> 62;
        long ticks = (long)(raw & 0x3FFF_FFFF_FFFF_FFFFUL);
        return kind <= 2 && ticks <= DateTime.MaxValue.Ticks
            ? new DateTime(ticks, (DateTimeKind)kind)
            : throw Corrupt($"0x{raw:x16} is no time");
    }

    public DateTime? ReadNullableTime() => ReadBoolean() ? ReadTime() : null;

    public string ReadString() => ReadNullableString() ?? throw Corrupt("a string is missing");

    public string? ReadNullableString()
    {
        ulong tag = VarUInt();
        switch (tag)
        {
            case 0:
                return null;
            case 1:
            {
                int length = ReadCount();
                string value = Encoding.UTF8.GetString(_data, _position, length);
                _position += length;
                _strings.Add(value);
                return value;
            }

            case 2:
            {
                int length = ReadCount();
                Need(length * 2L);
                string value = string.Create(length, (_data, _position), static (chars, at) =>
                {
                    for (int i = 0; i < chars.Length; i++)
                    {
                        chars[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(at._data.AsSpan(at._position + (i * 2)));
                    }
                });
                _position += length * 2;
                _strings.Add(value);
                return value;
            }

            default:
                return tag - 3 < (ulong)_strings.Count ? _strings[(int)(tag - 3)] : throw Corrupt($"string {tag - 3} was not written before");
        }
    }

    /// <summary>An event of the snapshot's table; the same object each time it is read.</summary>
    public AuditEvent ReadEvent()
    {
        ulong id = VarUInt();
        return id < (ulong)_events.Length ? _events[id] : throw Corrupt($"event {id} is not in the snapshot's {_events.Length}");
    }

    /// <summary>An event that must be a <typeparamref name="T"/>.</summary>
    public T ReadEvent<T>()
        where T : AuditEvent =>
        ReadEvent() as T ?? throw Corrupt($"an event is not a {typeof(T).Name}");

    /// <summary>Reads a count, then calls <paramref name="readOne"/> that many times.</summary>
    public void ReadItems(Action<SnapshotReader> readOne)
    {
        ArgumentNullException.ThrowIfNull(readOne);
        for (int count = ReadCount(); count > 0; count--)
        {
            readOne(this);
        }
    }

    /// <summary>A failure naming what is wrong, for checks of values read (an unknown enum value, say).</summary>
    public SnapshotException Corrupt(string what, Exception? inner = null) =>
        new(SnapshotFailure.Corrupt, $"The snapshot does not read back: {what} (at byte {_position}).", inner);

    /// <summary>Reads what <see cref="SnapshotWriter.Block"/> wrote with <paramref name="read"/>, which must
    /// read exactly that and no further.</summary>
    internal void Block(string what, Action<SnapshotReader> read)
    {
        int length = ReadInt32();
        if (length < 0 || length > _end - _position)
        {
            throw Corrupt($"the state of {what} claims {length} bytes");
        }

        int outerEnd = _end;
        int blockEnd = _position + length;
        _end = blockEnd;
        read(this);
        if (_position != blockEnd)
        {
            throw Corrupt($"{what} read back {_position - (blockEnd - length)} bytes of the {length} it wrote");
        }

        _end = outerEnd;
    }

    /// <summary>Checks that everything written was read.</summary>
    internal void End()
    {
        if (_position != _end)
        {
            throw Corrupt($"{_end - _position} bytes are left over");
        }
    }

    private ulong VarUInt()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Corrupt("a number is longer than 64 bits");
    }

    private void Need(long count)
    {
        if (count > _end - _position)
        {
            throw Corrupt($"{count} bytes are needed and {_end - _position} are left");
        }
    }
}
