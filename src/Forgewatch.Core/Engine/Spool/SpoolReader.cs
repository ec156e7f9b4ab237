using System.Buffers.Binary;
using System.Net;
using System.Text;
using Forgewatch.Core.Text;

namespace Forgewatch.Core.Engine.Spool;

/// <summary>Reads back what <see cref="SpoolWriter"/> wrote, in the same order.</summary>
internal ref struct SpoolReader(ReadOnlySpan<byte> data, StringTable strings)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public byte Byte() => _data[_position++];

    public ulong VarUInt()
    {
        ulong value = 0;
        int shift = 0;
        byte b;
        do
        {
            b = _data[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            shift += 7;
        }
        while (b >= 0x80);

        return value;
    }

    public long Int64()
    {
        long value = BinaryPrimitives.ReadInt64LittleEndian(_data.Slice(_position, 8));
        _position += 8;
        return value;
    }

    public int? NullableInt()
    {
        if (Byte() == 0)
        {
            return null;
        }

        uint zigzag = (uint)VarUInt();
        return (int)(zigzag >> 1) ^ -(int)(zigzag & 1);
    }

    public bool? NullableBool() => Byte() switch { 0 => null, 1 => false, _ => true };

    public bool Bool() => Byte() != 0;

    public DateTime? NullableTime() => Byte() == 0 ? null : new DateTime(Int64(), DateTimeKind.Utc);

    public string? Shared()
    {
        ulong tag = VarUInt();
        return tag switch
        {
            0 => null,
            1 => Encoding.UTF8.GetString(Take((int)VarUInt())),
            _ => strings[(int)(tag - 2)],
        };
    }

    public string? Inline()
    {
        ulong tag = VarUInt();
        return tag == 0 ? null : Encoding.UTF8.GetString(Take((int)tag - 1));
    }

    public Identifier Identifier() => Byte() switch
    {
        0 => default,
        1 => Text.Identifier.FromGuid(new Guid(Take(16))),
        _ => Text.Identifier.FromText(Inline()),
    };

    public IPAddress? Address()
    {
        int length = Byte();
        if (length == 0)
        {
            return null;
        }

        ReadOnlySpan<byte> bytes = Take(length);
        return length == 16 ? new IPAddress(bytes, (long)VarUInt()) : new IPAddress(bytes);
    }

    public ReadOnlySpan<byte> Raw(int count) => Take(count);

    private ReadOnlySpan<byte> Take(int count)
    {
        ReadOnlySpan<byte> span = _data.Slice(_position, count);
        _position += count;
        return span;
    }
}
