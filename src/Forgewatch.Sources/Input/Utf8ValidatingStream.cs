using System.Text.Unicode;

namespace Forgewatch.Sources.Input;

/// <summary>
/// Passes UTF-8 through and stops at the first byte that is not UTF-8: the content then ends at the last
/// line end before that byte (so the framers read every whole line before it and nothing after), and
/// <see cref="Error"/> tells where and why. The JSON and CSV layers would otherwise replace bad bytes
/// silently, and log text that changes on the way in is evidence lost. Validation is vectorized in the
/// BCL; this class only carries a sequence split across two reads.
/// </summary>
internal sealed class Utf8ValidatingStream(Stream inner) : ReadOnlyStreamBase
{
    private readonly byte[] _pending = new byte[8];
    private int _pendingLength;
    private long _offset;

    /// <summary>Set when the content stopped early because it is not UTF-8.</summary>
    public InvalidUtf8Exception? Error { get; private set; }

    /// <summary>
    /// False passes the content through unchecked, for readers that check UTF-8 themselves as they parse
    /// (JSON Lines: <see cref="Normalization.JsonScanner"/> rejects a line that is not UTF-8, and the lines
    /// after it are still read). Set it before the first read.
    /// </summary>
    public bool Checking { get; set; } = true;

    public override int Read(Span<byte> buffer)
    {
        if (Error is not null)
        {
            return 0;
        }

        if (!Checking)
        {
            return inner.Read(buffer);
        }

        int n = inner.Read(buffer);
        if (n == 0)
        {
            if (_pendingLength > 0)
            {
                Error = new InvalidUtf8Exception(_offset - _pendingLength, "the file ends inside a UTF-8 sequence");
            }

            return 0;
        }

        long start = _offset;
        try
        {
            Validate(buffer[..n]);
            return n;
        }
        catch (InvalidUtf8Exception e)
        {
            Error = e;
            int valid = (int)Math.Clamp(e.ByteOffset - start, 0, n);
            return buffer[..valid].LastIndexOf((byte)'\n') + 1;
        }
    }

    private void Validate(ReadOnlySpan<byte> data)
    {
        long dataStart = _offset;
        _offset += data.Length;
        if (_pendingLength > 0)
        {
            // Finish the sequence the previous read cut: at most three more bytes.
            int take = Math.Min(data.Length, 4 - _pendingLength);
            data[..take].CopyTo(_pending.AsSpan(_pendingLength));
            ReadOnlySpan<byte> joined = _pending.AsSpan(0, _pendingLength + take);
            int complete = joined.Length - IncompleteTail(joined);
            if (complete == 0)
            {
                _pendingLength += take;
                return;
            }

            int firstLength = SequenceLength(joined[0]);
            if (firstLength == 0 || firstLength > complete || !Utf8.IsValid(joined[..firstLength]))
            {
                throw new InvalidUtf8Exception(dataStart - _pendingLength, "invalid UTF-8 sequence");
            }

            int used = firstLength - _pendingLength;
            _pendingLength = 0;
            data = data[used..];
            dataStart += used;
        }

        int tail = IncompleteTail(data);
        ReadOnlySpan<byte> body = data[..^tail];
        if (!Utf8.IsValid(body))
        {
            throw new InvalidUtf8Exception(dataStart + FirstInvalid(body), "invalid UTF-8 sequence");
        }

        data[^tail..].CopyTo(_pending);
        _pendingLength = tail;
    }

    /// <summary>Bytes at the end that start a sequence the data does not finish.</summary>
    private static int IncompleteTail(ReadOnlySpan<byte> data)
    {
        for (int i = 1; i <= Math.Min(3, data.Length); i++)
        {
            byte b = data[^i];
            if ((b & 0xC0) == 0x80)
            {
                continue;
            }

            int length = SequenceLength(b);
            return length > i ? i : 0;
        }

        return 0;
    }

    private static int SequenceLength(byte lead) => lead switch
    {
        < 0x80 => 1,
        >= 0xC2 and <= 0xDF => 2,
        >= 0xE0 and <= 0xEF => 3,
        >= 0xF0 and <= 0xF4 => 4,
        _ => 0,
    };

    private static int FirstInvalid(ReadOnlySpan<byte> data)
    {
        int index = 0;
        while (index < data.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(data[index..], out _, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                return index;
            }

            index += consumed;
        }

        return index;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>The content is not UTF-8 from <see cref="ByteOffset"/> on.</summary>
internal sealed class InvalidUtf8Exception(long byteOffset, string problem)
    : IOException($"{problem} at byte {byteOffset}")
{
    public long ByteOffset { get; } = byteOffset;
}
