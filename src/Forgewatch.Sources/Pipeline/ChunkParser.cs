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

    public ReadBatch Parse(RecordChunk chunk)
    {
        var events = new List<AuditEvent>(chunk.Records?.Count ?? 256);
        var rejections = new List<Rejection>(chunk.Rejections ?? []);
        if (chunk.Records is null)
        {
            ParseLines(chunk, events, rejections);
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

    private void ParseLines(RecordChunk chunk, List<AuditEvent> events, List<Rejection> rejections)
    {
        ReadOnlySpan<byte> data = chunk.Buffer.AsSpan(0, chunk.Length);
        int position = 0;
        long line = chunk.FirstLine;
        while (position < data.Length)
        {
            int newline = data[position..].IndexOf((byte)'\n');
            int end = newline < 0 ? data.Length : position + newline;
            int start = position;
            int stop = end;
            while (start < stop && IsSpace(data[start]))
            {
                start++;
            }

            while (stop > start && IsSpace(data[stop - 1]))
            {
                stop--;
            }

            if (stop > start)
            {
                if (data[start] == '[')
                {
                    // A collector that writes one Management Activity API content blob per line.
                    ParseArrayLine(chunk, start, stop - start, line, chunk.BaseOffset + start, events, rejections);
                }
                else
                {
                    Normalize(chunk, start, stop - start, Container.JsonLines, line, chunk.BaseOffset + start, events, rejections);
                    if (newline < 0 && chunk.EndsUnterminated && rejections.Count > 0 && rejections[^1] is { Code: RejectionCodes.InvalidJson } last && last.Line == line)
                    {
                        // A cut-off last line is a truncated file (a copy or a gzip stream cut short;
                        // .NET's GZipStream does not check the gzip trailer), not one bad record.
                        rejections[^1] = last with
                        {
                            Code = RejectionCodes.Truncated,
                            Reason = $"The file ends inside a record (line {line}, byte {last.ByteOffset}); it is truncated. The lines before it were read.",
                            FileLevel = true,
                        };
                    }
                }
            }

            position = end + 1;
            line++;
        }
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
