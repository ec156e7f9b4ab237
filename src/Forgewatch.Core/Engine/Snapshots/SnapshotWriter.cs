using System.Buffers.Binary;
using System.Text;
using Forgewatch.Core.Events;

namespace Forgewatch.Core.Engine.Snapshots;

/// <summary>
/// Writes the values of a snapshot field by field: little-endian integers, varint counts, strings once
/// each (later uses refer to the first), and events once each in a table of <see cref="EventBytes"/>, so
/// that an event held by several detections is written and read back once, as one object. Hand-written
/// rather than a general serializer: state lives in private fields of immutable-looking classes, and order
/// and comparers must come back exactly. Not thread-safe.
/// </summary>
public sealed class SnapshotWriter
{
    private readonly Dictionary<string, int> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<AuditEvent, int> _eventIds = new(ReferenceEqualityComparer.Instance);
    private readonly List<byte[]> _events = [];
    private readonly List<AuditEvent>? _shared;
    private byte[] _buffer = new byte[4096];
    private int _length;

    /// <param name="shareEvents">Keeps the events themselves (they do not change) instead of encoding them:
    /// for a copy within the process (<see cref="ToCopy"/>), never for bytes that leave it.</param>
    internal SnapshotWriter(bool shareEvents = false)
    {
        _shared = shareEvents ? [] : null;
    }

    public void WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteByte(byte value) => Reserve(1)[0] = value;

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);

    /// <summary>A count or length (not negative), as a varint.</summary>
    public void WriteCount(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        VarUInt((uint)value);
    }

    /// <summary>A time with its kind (snapshots keep <see cref="DateTime.MinValue"/>'s unspecified kind too).</summary>
    public void WriteTime(DateTime value) => WriteInt64((long)((ulong)value.Ticks | ((ulong)value.Kind << 62)));

    public void WriteNullableTime(DateTime? value)
    {
        WriteBoolean(value.HasValue);
        if (value is { } time)
        {
            WriteTime(time);
        }
    }

    public void WriteString(string value) => WriteNullableString(value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>A string, or null. Text with surrogates is kept as UTF-16, so that even a lone surrogate
    /// (log text is attacker-controlled) comes back unchanged.</summary>
    public void WriteNullableString(string? value)
    {
        if (value is null)
        {
            VarUInt(0);
            return;
        }

        if (_strings.TryGetValue(value, out int id))
        {
            VarUInt((ulong)id + 3);
            return;
        }

        _strings[value] = _strings.Count;
        if (value.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            VarUInt(2);
            VarUInt((ulong)value.Length);
            Span<byte> bytes = Reserve(value.Length * 2);
            for (int i = 0; i < value.Length; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes[(i * 2)..], value[i]);
            }

            return;
        }

        int count = Encoding.UTF8.GetByteCount(value);
        VarUInt(1);
        VarUInt((ulong)count);
        Encoding.UTF8.GetBytes(value, Reserve(count));
    }

    /// <summary>An event, by its number in the snapshot's event table (added there on first use).</summary>
    public void WriteEvent(AuditEvent value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!_eventIds.TryGetValue(value, out int id))
        {
            id = _eventIds.Count;
            _eventIds[value] = id;
            if (_shared is not null)
            {
                _shared.Add(value);
            }
            else
            {
                _events.Add(EventBytes.Encode(value));
            }
        }

        VarUInt((ulong)id);
    }

    /// <summary>The count of <paramref name="items"/>, then each, in their order.</summary>
    public void WriteItems<T>(IReadOnlyCollection<T> items, Action<SnapshotWriter, T> write)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(write);
        WriteCount(items.Count);
        foreach (T item in items)
        {
            write(this, item);
        }
    }

    /// <summary>What <paramref name="write"/> writes, preceded by its length, so that the reader can tell
    /// whether it read back exactly that.</summary>
    internal void Block(Action<SnapshotWriter> write)
    {
        int start = _length;
        WriteInt32(0);
        write(this);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(start), _length - start - 4);
    }

    /// <summary>What was written and the events it names, for <see cref="SnapshotReader"/> within the process.</summary>
    internal (byte[] Content, AuditEvent[] Events) ToCopy() =>
        _shared is null
            ? throw new InvalidOperationException("Only a writer that shares its events makes a copy.")
            : (_buffer.AsSpan(0, _length).ToArray(), [.. _shared]);

    /// <summary>The snapshot: header, what was written, the event table and the checksum.</summary>
    internal byte[] ToSnapshot(byte kind)
    {
        if (_shared is not null)
        {
            throw new InvalidOperationException("A writer that shares its events makes copies, not snapshots.");
        }

        int eventsOffset = SnapshotFormat.HeaderLength + _length;
        long eventBytes = VarUIntLength((ulong)_events.Count);
        foreach (byte[] e in _events)
        {
            eventBytes += VarUIntLength((ulong)e.Length) + e.Length;
        }

        long total = eventsOffset + eventBytes + SnapshotFormat.HashLength;
        if (total > Array.MaxLength)
        {
            throw new SnapshotException(SnapshotFailure.NotSupported, $"The snapshot would take {total:N0} bytes, more than an array holds.");
        }

        byte[] snapshot = new byte[total];
        SnapshotFormat.WriteHeader(snapshot, kind, total, eventsOffset);
        _buffer.AsSpan(0, _length).CopyTo(snapshot.AsSpan(SnapshotFormat.HeaderLength));
        int at = eventsOffset;
        at += WriteVarUInt(snapshot.AsSpan(at), (ulong)_events.Count);
        foreach (byte[] e in _events)
        {
            at += WriteVarUInt(snapshot.AsSpan(at), (ulong)e.Length);
            e.CopyTo(snapshot.AsSpan(at));
            at += e.Length;
        }

        SnapshotFormat.WriteHash(snapshot);
        return snapshot;
    }

    private void VarUInt(ulong value)
    {
        int written = WriteVarUInt(Reserve(10), value);
        _length -= 10 - written;
    }

    private static int WriteVarUInt(Span<byte> span, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        return i;
    }

    private static int VarUIntLength(ulong value)
    {
        int length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        Span<byte> span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
