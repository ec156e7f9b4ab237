using System.Text.Json;
using Forgewatch.Core.Events;
using Forgewatch.Sources.Framing;
using Forgewatch.Sources.Normalization;

namespace Forgewatch.Sources.Pipeline;

/// <summary>
/// A worker's view of the parse stage: turns chunks into events and rejections with its own normalizer
/// and string pool. One per worker thread.
/// </summary>
internal sealed class ChunkParser
{
    private readonly RecordNormalizer _normalizer = new(new Utf8StringPool());
    private readonly CsvRowReader _csvRows = new();

    /// <summary>Bytes per record in the last chunk of lines: sizes the next chunk's event list, which
    /// would otherwise grow (and copy) a few times per chunk.</summary>
    private int _bytesPerLine = 1024;

    public ReadBatch Parse(RecordChunk chunk)
    {
        int expected = chunk.Records?.Count ?? (chunk.Csv is null ? (chunk.Length / _bytesPerLine) + 16 : 256);
        var events = new List<AuditEvent>(expected);
        var rejections = new List<Rejection>(chunk.Rejections ?? []);
        if (chunk.Csv is { } layout)
        {
            ParseCsvRows(chunk, layout, events, rejections);
        }
        else if (chunk.Records is null)
        {
            ParseLines(chunk, events, rejections);
            _bytesPerLine = Math.Max(64, chunk.Length / Math.Max(1, events.Count + rejections.Count));
        }
        else
        {
            foreach (RecordSpan record in chunk.Records)
            {
                Normalize(chunk, record.Start, record.Length, record.Container, record.Line, record.ByteOffset, events, rejections);
            }
        }

        return new ReadBatch(chunk.Source, events, rejections);
    }

    /// <summary>
    /// JSON Lines: each record is parsed where its line starts, and the parser says where it ended (it must
    /// end on its line), so the line ends are not searched for separately; only a line that fails is
    /// searched to its end, to be rejected whole.
    /// </summary>
    private void ParseLines(RecordChunk chunk, List<AuditEvent> events, List<Rejection> rejections)
    {
        byte[] buffer = chunk.Buffer;
        int length = chunk.Length;
        int position = 0;
        long line = chunk.FirstLine;
        while (position < length)
        {
            int start = position;
            while (start < length && IsSpace(buffer[start]))
            {
                start++;
            }

            if (start == length)
            {
                break;
            }

            if (buffer[start] == '\n')
            {
                // A blank line.
                position = start + 1;
                line++;
                continue;
            }

            int end;
            if (buffer[start] == '[')
            {
                // A collector that writes one Management Activity API content blob per line.
                end = LineEnd(buffer, start, length);
                ParseArrayLine(chunk, start, TrimEnd(buffer, start, end) - start, line, chunk.BaseOffset + start, events, rejections);
            }
            else
            {
                NormalizeResult result = _normalizer.Normalize(buffer, start, length - start, Container.JsonLines, chunk.Source, line, chunk.BaseOffset + start, oneLine: true);
                int recordLength = _normalizer.LastLength;
                end = recordLength >= 0 ? SkipSpaces(buffer, start + recordLength, length) : LineEnd(buffer, start, length);
                if (result.Event is not null)
                {
                    events.Add(result.Event);
                }
                else
                {
                    int stop = TrimEnd(buffer, start, end);
                    var rejection = new Rejection(chunk.Source, line, chunk.BaseOffset + start, result.ReasonCode!, result.Reason!, Rejection.ExcerptOf(buffer.AsSpan(start, stop - start)));
                    if (end == length && chunk.EndsUnterminated && rejection.Code == RejectionCodes.InvalidJson)
                    {
                        rejection = AsTruncation(rejection, "lines");
                    }

                    rejections.Add(rejection);
                }
            }

            position = end + 1;
            line++;
        }
    }

    /// <summary>
    /// CSV rows: each row's <c>AuditData</c> cell is unquoted into a buffer and parsed from there. A row
    /// without it, or whose cell is blank, is rejected with its line.
    /// </summary>
    private void ParseCsvRows(RecordChunk chunk, CsvLayout layout, List<AuditEvent> events, List<Rejection> rejections)
    {
        ReadOnlySpan<byte> data = chunk.Buffer.AsSpan(0, chunk.Length);
        int position = 0;
        long line = chunk.FirstLine;
        while (position < data.Length)
        {
            int start = position;
            CsvRow row = _csvRows.Read(data, ref position, layout);
            long offset = chunk.BaseOffset + start;
            if (row.Blank)
            {
                line += row.Lines;
                continue;
            }

            if (row.CutShort)
            {
                rejections.Add(new Rejection(chunk.Source, line, offset, RejectionCodes.Truncated, $"The file ends inside a quoted CSV value (line {line}, byte {offset}); it is truncated. The rows before it were read.", Rejection.ExcerptOf(data[start..position])) { FileLevel = true });
            }
            else if (!row.HasAuditData || _csvRows.Cell.Trim(" \t\r\n"u8).IsEmpty)
            {
                rejections.Add(new Rejection(chunk.Source, line, offset, RejectionCodes.CsvRow, "The row has no AuditData value.", Rejection.ExcerptOf(data[start..position].TrimEnd("\r\n"u8))));
            }
            else
            {
                NormalizeResult result = _normalizer.Normalize(_csvRows.CellBuffer, 0, _csvRows.Cell.Length, Container.Csv, chunk.Source, line, offset);
                if (result.Event is not null)
                {
                    events.Add(result.Event);
                }
                else
                {
                    var rejection = new Rejection(chunk.Source, line, offset, result.ReasonCode!, result.Reason!, Rejection.ExcerptOf(_csvRows.Cell));
                    if (position == data.Length && chunk.EndsUnterminated && rejection.Code == RejectionCodes.InvalidJson)
                    {
                        rejection = AsTruncation(rejection, "rows");
                    }

                    rejections.Add(rejection);
                }
            }

            line += row.Lines;
        }
    }

    /// <summary>
    /// A last record that is not whole JSON where the content ends without a line end is a truncated file (a
    /// copy or a gzip stream cut short; .NET's GZipStream does not check the gzip trailer), not one bad record.
    /// </summary>
    private static Rejection AsTruncation(Rejection rejection, string records) => rejection with
    {
        Code = RejectionCodes.Truncated,
        Reason = $"The file ends inside a record (line {rejection.Line}, byte {rejection.ByteOffset}); it is truncated. The {records} before it were read.",
        FileLevel = true,
    };

    /// <summary>Where the line starting at or before <paramref name="from"/> ends: its '\n', or the data's end.</summary>
    private static int LineEnd(byte[] buffer, int from, int length)
    {
        int newline = buffer.AsSpan(from, length - from).IndexOf((byte)'\n');
        return newline < 0 ? length : from + newline;
    }

    /// <summary>Past the spaces after a record, which the parser has checked run to the line end.</summary>
    private static int SkipSpaces(byte[] buffer, int from, int length)
    {
        while (from < length && IsSpace(buffer[from]))
        {
            from++;
        }

        return from;
    }

    private static int TrimEnd(byte[] buffer, int start, int end)
    {
        while (end > start && IsSpace(buffer[end - 1]))
        {
            end--;
        }

        return end;
    }

    private void ParseArrayLine(RecordChunk chunk, int start, int length, long line, long offset, List<AuditEvent> events, List<Rejection> rejections)
    {
        var spans = new List<(int Start, int Length)>();
        try
        {
            var reader = new Utf8JsonReader(chunk.Buffer.AsSpan(start, length));
            reader.Read();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                int elementStart = (int)reader.TokenStartIndex;
                reader.Skip();
                spans.Add((elementStart, (int)reader.BytesConsumed - elementStart));
            }

            if (reader.Read())
            {
                throw new JsonException("Unexpected data after the array.");
            }
        }
        catch (JsonException e)
        {
            rejections.Add(new Rejection(chunk.Source, line, offset, RejectionCodes.InvalidJson, e.Message, Rejection.ExcerptOf(chunk.Buffer.AsSpan(start, length))));
            return;
        }

        foreach ((int elementStart, int elementLength) in spans)
        {
            Normalize(chunk, start + elementStart, elementLength, Container.JsonArray, line, offset + elementStart, events, rejections);
        }
    }

    private void Normalize(RecordChunk chunk, int start, int length, Container container, long line, long offset, List<AuditEvent> events, List<Rejection> rejections)
    {
        NormalizeResult result = _normalizer.Normalize(chunk.Buffer, start, length, container, chunk.Source, line, offset);
        if (result.Event is not null)
        {
            events.Add(result.Event);
        }
        else
        {
            rejections.Add(new Rejection(chunk.Source, line, offset, result.ReasonCode!, result.Reason!, Rejection.ExcerptOf(chunk.Buffer.AsSpan(start, length))));
        }
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r';
}
