using System.Buffers;
using System.Text.Json;
using Forgewatch.Sources.Normalization;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Sources.Framing;

/// <summary>
/// Frames JSON documents of any size without holding them whole: a root array of records (Management
/// Activity API content, Sentinel and Graph exports), a wrapper object whose <c>value</c> or
/// <c>records</c> member is that array (Graph pages, diagnostic records), a single record, or several of
/// these one after another. The structure above the records is walked by hand; each record's extent is
/// found with <see cref="Utf8JsonReader.TrySkip"/>, so only the current record must fit in memory.
/// A syntax error or an early end stops the file: after it no record boundary can be trusted.
/// </summary>
internal sealed class JsonDocumentFramer(string source, int chunkBytes, int maxRecordBytes)
{
    private byte[] _buffer = [];
    private int _length;
    private int _pos;
    private int _keep;
    private long _bufferOffset;
    private bool _end;
    private Stream _content = Stream.Null;

    private long Offset => _bufferOffset + _pos;

    public void Run(Stream content, IChunkTarget target, CancellationToken cancellationToken)
    {
        _content = content;
        _buffer = ArrayPool<byte>.Shared.Rent(chunkBytes);
        var chunks = new ChunkBuilder(source, chunkBytes, target, cancellationToken);
        try
        {
            while (SkipWhitespace())
            {
                _keep = _pos;
                byte c = _buffer[_pos];
                if (c == '[')
                {
                    _pos++;
                    ReadElements(chunks, Container.JsonArray);
                }
                else if (c == '{')
                {
                    ReadTopLevelObject(chunks);
                }
                else
                {
                    throw Syntax($"expected '[' or '{{' to start a JSON value, found '{Printable(c)}'");
                }

                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            chunks.Flush();
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }

    private void ReadElements(ChunkBuilder chunks, Container container)
    {
        bool first = true;
        while (true)
        {
            if (!SkipWhitespace())
            {
                throw Truncated("inside a JSON array");
            }

            if (_buffer[_pos] == ']')
            {
                _pos++;
                return;
            }

            if (!first)
            {
                Expect((byte)',');
                if (!SkipWhitespace())
                {
                    throw Truncated("inside a JSON array");
                }
            }

            first = false;
            _keep = _pos;
            long offset = Offset;
            int length = ValueLength();
            ReadOnlySpan<byte> element = _buffer.AsSpan(_pos, length);
            if (element[0] == '{')
            {
                chunks.Add(element, 0, offset, container);
            }
            else
            {
                chunks.Reject(new Rejection(source, 0, offset, RejectionCodes.NotAnObject, "An array element is not a JSON object.", Rejection.ExcerptOf(element)));
            }

            _pos += length;
            _keep = _pos;
        }
    }

    /// <summary>A root object is a wrapper when a <c>value</c> or <c>records</c> member holds an array;
    /// otherwise it is itself a record, and its bytes are kept (from <see cref="_keep"/>) until that is known.</summary>
    private void ReadTopLevelObject(ChunkBuilder chunks)
    {
        long objectOffset = Offset;
        _keep = _pos;
        _pos++;
        bool wrapper = false;
        bool first = true;
        while (true)
        {
            if (!SkipWhitespace())
            {
                throw Truncated("inside a JSON object");
            }

            if (_buffer[_pos] == '}')
            {
                _pos++;
                break;
            }

            if (!first)
            {
                Expect((byte)',');
                SkipWhitespaceOrThrow();
            }

            first = false;
            int nameLength = ValueLength();
            if (_buffer[_pos] != '"')
            {
                throw Syntax("expected a member name");
            }

            bool isWrapperName = IsWrapperName(_buffer.AsSpan(_pos, nameLength), out Container container);
            _pos += nameLength;
            SkipWhitespaceOrThrow();
            Expect((byte)':');
            SkipWhitespaceOrThrow();
            if (isWrapperName && _buffer[_pos] == '[')
            {
                wrapper = true;
                _pos++;
                ReadElements(chunks, container);
                continue;
            }

            _pos += ValueLength();
            if (wrapper)
            {
                _keep = _pos;
            }
        }

        if (!wrapper)
        {
            // Until the object proved not to be a wrapper, _keep held its start (refills move both).
            int length = _pos - _keep;
            if (length > maxRecordBytes)
            {
                chunks.Reject(new Rejection(source, 0, objectOffset, RejectionCodes.RecordTooLarge, $"The record is larger than the {maxRecordBytes}-byte limit.", null));
            }
            else
            {
                chunks.Add(_buffer.AsSpan(_keep, length), 0, objectOffset, Container.JsonObject);
            }
        }

        _keep = _pos;
    }

    private static bool IsWrapperName(ReadOnlySpan<byte> quotedName, out Container container)
    {
        container = default;
        if (quotedName.SequenceEqual("\"value\""u8))
        {
            container = Container.ValueWrapper;
            return true;
        }

        if (quotedName.SequenceEqual("\"records\""u8))
        {
            container = Container.RecordsWrapper;
            return true;
        }

        return false;
    }

    /// <summary>Length of the JSON value starting at <see cref="_pos"/>, reading more as needed.</summary>
    private int ValueLength()
    {
        while (true)
        {
            // Never told "final block": at the end of the data an unfinished value then reads as
            // incomplete (the file is truncated) rather than as a syntax error.
            var reader = new Utf8JsonReader(_buffer.AsSpan(_pos, _length - _pos), isFinalBlock: false, default);
            try
            {
                if (reader.Read() && reader.TrySkip())
                {
                    return (int)reader.BytesConsumed;
                }
            }
            catch (JsonException e)
            {
                throw Syntax(e.Message);
            }

            if (_end)
            {
                throw Truncated("inside a record");
            }

            Refill();
        }
    }

    private bool SkipWhitespace()
    {
        while (true)
        {
            while (_pos < _length)
            {
                byte c = _buffer[_pos];
                if (c is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                {
                    return true;
                }

                _pos++;
            }

            if (_end)
            {
                return false;
            }

            Refill();
        }
    }

    private void SkipWhitespaceOrThrow()
    {
        if (!SkipWhitespace())
        {
            throw Truncated("inside a JSON object");
        }
    }

    private void Expect(byte expected)
    {
        if (_buffer[_pos] != expected)
        {
            throw Syntax($"expected '{(char)expected}', found '{Printable(_buffer[_pos])}'");
        }

        _pos++;
    }

    /// <summary>Moves the bytes from <see cref="_keep"/> on to the buffer's start and reads more,
    /// growing the buffer when a single value fills it.</summary>
    private void Refill()
    {
        if (_keep > 0)
        {
            int kept = _length - _keep;
            _buffer.AsSpan(_keep, kept).CopyTo(_buffer);
            _bufferOffset += _keep;
            _pos -= _keep;
            _length = kept;
            _keep = 0;
        }

        if (_length == _buffer.Length)
        {
            if (_buffer.Length >= maxRecordBytes + chunkBytes)
            {
                throw new FramingException(RejectionCodes.RecordTooLarge, $"a record or document member is larger than the {maxRecordBytes}-byte limit at byte {_bufferOffset}", _bufferOffset);
            }

            byte[] bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        int read = _content.ReadAtLeast(_buffer.AsSpan(_length), _buffer.Length - _length, throwOnEndOfStream: false);
        _length += read;
        _end = _length < _buffer.Length;
    }

    private FramingException Truncated(string where) =>
        new(RejectionCodes.Truncated, $"the file ends {where} (byte {Offset}); it is truncated", Offset);

    private FramingException Syntax(string detail) =>
        new(RejectionCodes.InvalidJson, $"invalid JSON at byte {Offset}: {detail}", Offset);

    private static string Printable(byte c) => c is >= 0x20 and < 0x7F ? ((char)c).ToString() : $"0x{c:X2}";
}
