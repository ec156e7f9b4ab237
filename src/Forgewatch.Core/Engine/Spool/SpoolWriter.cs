using System.Buffers.Binary;
using System.Net;
using System.Text;
using Forgewatch.Core.Text;

namespace Forgewatch.Core.Engine.Spool;

/// <summary>Appends the primitive values of a spooled event to a growable buffer (little-endian, varints).</summary>
internal sealed class SpoolWriter(StringTable strings)
{
    private byte[] _buffer = new byte[4096];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public void Byte(byte value) => Reserve(1)[0] = value;

    public void VarUInt(ulong value)
    {
        Span<byte> span = Reserve(10);
        int i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        Length -= 10 - i;
    }

    public void Int64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);

    public void NullableInt(int? value)
    {
        Byte(value.HasValue ? (byte)1 : (byte)0);
        if (value is { } v)
        {
            VarUInt((ulong)((v << 1) ^ (v >> 31)));
        }
    }

    public void NullableBool(bool? value) => Byte(value switch { null => 0, false => 1, true => 2 });

    public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

    public void NullableTime(DateTime? value)
    {
        Byte(value.HasValue ? (byte)1 : (byte)0);
        if (value is { } v)
        {
            Int64(v.Ticks);
        }
    }

    /// <summary>A string likely to repeat: by number from the table when it has room, inline otherwise.</summary>
    public void Shared(string? value)
    {
        if (value is null)
        {
            VarUInt(0);
            return;
        }

        int id = strings.IdOf(value);
        if (id < 0)
        {
            VarUInt(1);
            Utf8(value);
            return;
        }

        VarUInt((ulong)id + 2);
    }

    /// <summary>A string unlikely to repeat (ids, parameters): inline.</summary>
    public void Inline(string? value)
    {
        if (value is null)
        {
            VarUInt(0);
            return;
        }

        int count = Encoding.UTF8.GetByteCount(value);
        VarUInt((ulong)count + 1);
        Encoding.UTF8.GetBytes(value, Reserve(count));
    }

    public void Identifier(Identifier value)
    {
        if (value.IsEmpty)
        {
            Byte(0);
        }
        else if (value.TryGetGuid(out Guid guid))
        {
            Byte(1);
            guid.TryWriteBytes(Reserve(16));
        }
        else
        {
            Byte(2);
            Inline(value.Text);
        }
    }

    public void Address(IPAddress? address)
    {
        if (address is null)
        {
            Byte(0);
            return;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        Byte((byte)written);
        bytes[..written].CopyTo(Reserve(written));
        if (written == 16)
        {
            VarUInt((ulong)address.ScopeId);
        }
    }

    /// <summary>Bytes without a length (the reader knows it from elsewhere).</summary>
    public void Raw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>A string's UTF-8 bytes without a length.</summary>
    public void RawString(string value) => Encoding.UTF8.GetBytes(value, Reserve(Encoding.UTF8.GetByteCount(value)));

    private void Utf8(string value)
    {
        int count = Encoding.UTF8.GetByteCount(value);
        VarUInt((ulong)count);
        Encoding.UTF8.GetBytes(value, Reserve(count));
    }

    private Span<byte> Reserve(int count)
    {
        if (Length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        }

        Span<byte> span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }
}
