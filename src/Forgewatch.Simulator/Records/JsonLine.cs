using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Forgewatch.Simulator.Records;

/// <summary>
/// Writes records as compact JSON, one after another, into one growing UTF-8 buffer: the simulator's output
/// is JSON written as fast as the files take it. Property names come ready-encoded (<see cref="JsonNames"/>);
/// values are escaped exactly as <see cref="Utf8JsonWriter"/> with
/// <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> escapes them: printable ASCII other than a quote
/// or backslash is copied, anything else is escaped by <see cref="JsonEncodedText"/> with that encoder.
/// It does not check that what it is told to write is well-formed JSON: the record writers are its only
/// callers. Not thread-safe; one per thread.
/// </summary>
internal sealed class JsonLine
{
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Bytes copied as they are inside a string: printable ASCII but <c>"</c> and <c>\</c>.</summary>
    private static readonly SearchValues<byte> Plain = SearchValues.Create(
        [.. Enumerable.Range(0x20, 0x7F - 0x20).Select(b => (byte)b).Where(b => b is not (byte)'"' and not (byte)'\\')]);

    /// <summary>Printable ASCII: inside a string, only <c>"</c> and <c>\</c> of it need escaping.</summary>
    private static readonly SearchValues<byte> Printable = SearchValues.Create(
        [.. Enumerable.Range(0x20, 0x7F - 0x20).Select(b => (byte)b)]);

    private byte[] _bytes;
    private int _length;

    /// <summary>Whether the next value or name needs a comma before it.</summary>
    private bool _comma;

    public JsonLine(int capacity = 1 << 16) => _bytes = new byte[capacity];

    /// <summary>Bytes written so far.</summary>
    public int Length => _length;

    /// <summary>What has been written. Valid until the next write (the buffer may grow).</summary>
    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, _length);

    /// <summary>The buffer holding <see cref="Written"/>; handed on once writing is over.</summary>
    public byte[] Buffer => _bytes;

    /// <summary>Forgets what was written; keeps the buffer.</summary>
    public void Clear()
    {
        _length = 0;
        _comma = false;
    }

    /// <summary>Ends one JSON text: the next starts without a comma.</summary>
    public void EndText() => _comma = false;

    public void StartObject()
    {
        Comma();
        Put((byte)'{');
        _comma = false;
    }

    public void StartObject(ReadOnlySpan<byte> name)
    {
        Name(name);
        Put((byte)'{');
    }

    public void EndObject()
    {
        Put((byte)'}');
        _comma = true;
    }

    public void StartArray(ReadOnlySpan<byte> name)
    {
        Name(name);
        Put((byte)'[');
    }

    public void EndArray()
    {
        Put((byte)']');
        _comma = true;
    }

    public void String(ReadOnlySpan<byte> name, string? value)
    {
        Name(name);
        StringValue(value);
    }

    /// <summary>A value already UTF-8.</summary>
    public void String(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Name(name);
        Ensure(value.Length + 2);
        if (value.IndexOfAnyExcept(Plain) < 0)
        {
            Put((byte)'"');
            Copy(value);
            Put((byte)'"');
        }
        else
        {
            Quoted(JsonEncodedText.Encode(value, Encoder));
        }

        _comma = true;
    }

    /// <summary>An array element, or a value after <see cref="Name"/>; <c>null</c> for a null string, as
    /// <see cref="Utf8JsonWriter"/> writes it.</summary>
    public void StringValue(string? value)
    {
        Comma();
        if (value is null)
        {
            Copy("null"u8);
            _comma = true;
            return;
        }

        Ensure(value.Length + 2);
        Span<byte> inside = _bytes.AsSpan(_length + 1, value.Length);
        if (Ascii.FromUtf16(value, inside, out _) == OperationStatus.Done)
        {
            if (inside.IndexOfAnyExcept(Plain) < 0)
            {
                _bytes[_length] = (byte)'"';
                _bytes[_length + 1 + value.Length] = (byte)'"';
                _length += value.Length + 2;
                _comma = true;
                return;
            }

            // Folder paths (\Inbox) have a backslash: printable ASCII needs only that and quotes escaped.
            if (value.Length <= 256 && inside.IndexOfAnyExcept(Printable) < 0)
            {
                Span<byte> ascii = stackalloc byte[value.Length];
                inside.CopyTo(ascii);
                Put((byte)'"');
                foreach (byte b in ascii)
                {
                    if (b is (byte)'"' or (byte)'\\')
                    {
                        Put((byte)'\\');
                    }

                    Put(b);
                }

                Put((byte)'"');
                _comma = true;
                return;
            }
        }

        Quoted(JsonEncodedText.Encode(value, Encoder));
        _comma = true;
    }

    /// <summary>A value known at compile time, already quoted and escaped: <c>"\"Exchange\""u8</c>.</summary>
    public void Verbatim(ReadOnlySpan<byte> name, ReadOnlySpan<byte> quotedValue)
    {
        Name(name);
        Copy(quotedValue);
        _comma = true;
    }

    /// <summary>A GUID in its canonical lower-case form, as <c>ToString()</c> gives it.</summary>
    public void String(ReadOnlySpan<byte> name, Guid value)
    {
        Name(name);
        Ensure(38);
        _bytes[_length++] = (byte)'"';
        value.TryFormat(_bytes.AsSpan(_length), out int written);
        _length += written;
        _bytes[_length++] = (byte)'"';
        _comma = true;
    }

    public void Number(ReadOnlySpan<byte> name, long value)
    {
        Name(name);
        Ensure(20);
        Utf8Formatter.TryFormat(value, _bytes.AsSpan(_length), out int written);
        _length += written;
        _comma = true;
    }

    public void Boolean(ReadOnlySpan<byte> name, bool value)
    {
        Name(name);
        Copy(value ? "true"u8 : "false"u8);
        _comma = true;
    }

    public void Null(ReadOnlySpan<byte> name)
    {
        Name(name);
        Copy("null"u8);
        _comma = true;
    }

    /// <summary>A time to the second, <c>"2023-05-02T08:15:00"</c>, with <c>Z</c> when <paramref name="zone"/>:
    /// what <c>DateTime.ToString("s")</c> gives.</summary>
    public void Time(ReadOnlySpan<byte> name, DateTime time, bool zone)
    {
        Name(name);
        Ensure(22);
        Span<byte> text = _bytes.AsSpan(_length, zone ? 22 : 21);
        text[0] = (byte)'"';
        Digits(text.Slice(1, 4), time.Year);
        text[5] = (byte)'-';
        Digits(text.Slice(6, 2), time.Month);
        text[8] = (byte)'-';
        Digits(text.Slice(9, 2), time.Day);
        text[11] = (byte)'T';
        Digits(text.Slice(12, 2), time.Hour);
        text[14] = (byte)':';
        Digits(text.Slice(15, 2), time.Minute);
        text[17] = (byte)':';
        Digits(text.Slice(18, 2), time.Second);
        if (zone)
        {
            text[20] = (byte)'Z';
        }

        text[^1] = (byte)'"';
        _length += text.Length;
        _comma = true;
    }

    /// <summary>A property name, ready-encoded with its quotes and colon (<see cref="JsonNames"/>).</summary>
    public void Name(ReadOnlySpan<byte> quotedNameAndColon)
    {
        Comma();
        Copy(quotedNameAndColon);
        _comma = false;
    }

    private static void Digits(Span<byte> into, int value)
    {
        for (int i = into.Length - 1; i >= 0; i--)
        {
            into[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private void Quoted(JsonEncodedText escaped)
    {
        Put((byte)'"');
        Copy(escaped.EncodedUtf8Bytes);
        Put((byte)'"');
    }

    private void Comma()
    {
        if (_comma)
        {
            Put((byte)',');
        }
    }

    private void Put(byte b)
    {
        Ensure(1);
        _bytes[_length++] = b;
    }

    private void Copy(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_bytes.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Ensure(int more)
    {
        if (_length + more > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + more));
        }
    }
}
