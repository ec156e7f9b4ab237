using System.Buffers;
using System.Text;
using Forgewatch.Sources.Normalization;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Sources.Framing;

/// <summary>
/// Cuts Purview and <c>Search-UnifiedAuditLog</c> CSV exports into chunks of whole rows without reading
/// their cells: a line end ends a row exactly when an even number of quotes comes before it (RFC 4180
/// quoting), which is found by counting quotes. The workers then read the rows and their <c>AuditData</c>
/// cells (<see cref="CsvRowReader"/>), so a CSV export is parsed by every core, like JSON Lines. The header
/// is read here: the separator (the most frequent of comma, semicolon, tab and bar outside quotes), and
/// which column is <c>AuditData</c>. Line ends are LF or CRLF, or a lone CR in files that use it
/// (<see cref="CarriageReturnLineEnds"/>). A row longer than the record limit is rejected and skipped.
/// </summary>
internal sealed class CsvRowsFramer(string source, int chunkBytes, int maxRecordBytes)
{
    public void Run(Stream content, IChunkTarget target, CancellationToken cancellationToken)
    {
        byte[]? buffer = ArrayPool<byte>.Shared.Rent(chunkBytes);
        try
        {
            int length = content.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            bool ended = length < buffer.Length;
            long line = 1;
            int position = 0;
            if (CarriageReturnLineEnds.Detect(buffer.AsSpan(0, length)))
            {
                buffer.AsSpan(0, length).Replace((byte)'\r', (byte)'\n');
                content = new CarriageReturnLineEnds(content);
            }

            // PowerShell 5 Export-Csv writes "#TYPE <type name>" above the header.
            if (length > 0 && buffer[0] == '#')
            {
                int newline = buffer.AsSpan(0, length).IndexOf((byte)'\n');
                position = newline < 0 ? length : newline + 1;
                line++;
            }

            int headerEnd;
            while ((headerEnd = RowEnd(buffer, position, length)) < 0 && !ended)
            {
                if (length >= maxRecordBytes)
                {
                    throw new FramingException(RejectionCodes.RecordTooLarge, $"the CSV header is longer than the {maxRecordBytes}-byte record limit", position, line);
                }

                buffer = Grow(buffer, length);
                int read = content.ReadAtLeast(buffer.AsSpan(length), buffer.Length - length, throwOnEndOfStream: false);
                length += read;
                ended = length < buffer.Length;
            }

            if (headerEnd < 0)
            {
                headerEnd = length;
            }

            CsvLayout layout = ReadHeader(buffer.AsSpan(position, headerEnd - position), line);
            line += buffer.AsSpan(position, headerEnd - position).Count((byte)'\n');
            long offset = headerEnd;
            int rest = length - headerEnd;
            buffer.AsSpan(headerEnd, rest).CopyTo(buffer);
            length = rest;

            while (true)
            {
                if (!ended)
                {
                    int read = content.ReadAtLeast(buffer.AsSpan(length), buffer.Length - length, throwOnEndOfStream: false);
                    length += read;
                    ended = length < buffer.Length;
                }

                if (ended)
                {
                    if (length > 0)
                    {
                        bool unterminated = buffer[length - 1] != '\n';
                        target.Post(new RecordChunk(source, buffer, length, Container.Csv) { FirstLine = line, BaseOffset = offset, Csv = layout, EndsUnterminated = unterminated }, cancellationToken);
                        buffer = null;
                    }

                    return;
                }

                int cut = LastRowEnd(buffer, length);
                if (cut < 0)
                {
                    // No row ends in a full buffer: one row is longer than the buffer.
                    if (length < maxRecordBytes)
                    {
                        buffer = Grow(buffer, length);
                        continue;
                    }

                    var rejection = new Rejection(source, line, offset, RejectionCodes.RecordTooLarge, $"The row is longer than the {maxRecordBytes}-byte record limit; skipped.", Rejection.ExcerptOf(buffer.AsSpan(0, length)));
                    target.Post(new RecordChunk(source, ArrayPool<byte>.Shared.Rent(1), 0, Container.Csv) { Records = [], Rejections = [rejection] }, cancellationToken);
                    (length, offset, line) = SkipRestOfRow(content, buffer, length, offset, line);
                    continue;
                }

                int carried = length - cut;
                byte[] next = ArrayPool<byte>.Shared.Rent(carried + chunkBytes);
                buffer.AsSpan(cut, carried).CopyTo(next);
                long lines = buffer.AsSpan(0, cut).Count((byte)'\n');
                target.Post(new RecordChunk(source, buffer, cut, Container.Csv) { FirstLine = line, BaseOffset = offset, Csv = layout }, cancellationToken);
                line += lines;
                offset += cut;
                buffer = next;
                length = carried;
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>The separator and the <c>AuditData</c> column of the header row.</summary>
    private static CsvLayout ReadHeader(ReadOnlySpan<byte> header, long line)
    {
        byte separator = DetectSeparator(header);
        byte[] text = new byte[header.Length + CsvCells.CopySlack];
        int position = 0;
        int column = 0;
        while (true)
        {
            CellEnd end = CsvCells.Read(header, ref position, separator, text, out int length);
            string name = Encoding.UTF8.GetString(text.AsSpan(0, length)).Trim();
            if (name.Equals("AuditData", StringComparison.OrdinalIgnoreCase))
            {
                return new CsvLayout(separator, column);
            }

            if (end != CellEnd.Separator)
            {
                throw new FramingException(RejectionCodes.UnrecognizedFormat, "the CSV header has no AuditData column", 0, line);
            }

            column++;
        }
    }

    /// <summary>The most frequent of the usual separators outside quotes in the header (comma on a tie).</summary>
    private static byte DetectSeparator(ReadOnlySpan<byte> header)
    {
        ReadOnlySpan<byte> candidates = ",;\t|"u8;
        Span<int> counts = stackalloc int[candidates.Length];
        bool quoted = false;
        foreach (byte b in header)
        {
            if (b == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && candidates.IndexOf(b) is int k and >= 0)
            {
                counts[k]++;
            }
        }

        int best = 0;
        for (int k = 1; k < candidates.Length; k++)
        {
            if (counts[k] > counts[best])
            {
                best = k;
            }
        }

        return candidates[best];
    }

    /// <summary>Where the row that starts at <paramref name="start"/> ends (after its line end), or -1
    /// when no line end outside quotes follows within the data.</summary>
    private static int RowEnd(byte[] buffer, int start, int length)
    {
        bool quoted = false;
        ReadOnlySpan<byte> data = buffer.AsSpan(0, length);
        int p = start;
        while (true)
        {
            int stop = data[p..].IndexOfAny((byte)'"', (byte)'\n');
            if (stop < 0)
            {
                return -1;
            }

            p += stop;
            if (data[p] == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted)
            {
                return p + 1;
            }

            p++;
        }
    }

    /// <summary>After the last line end in the data that ends a row (an even number of quotes before it,
    /// the data starting outside quotes), or -1.</summary>
    private static int LastRowEnd(byte[] buffer, int length)
    {
        ReadOnlySpan<byte> data = buffer.AsSpan(0, length);
        int quotesBefore = data.Count((byte)'"');
        int searchEnd = length;
        while (true)
        {
            int newline = data[..searchEnd].LastIndexOf((byte)'\n');
            if (newline < 0)
            {
                return -1;
            }

            quotesBefore -= data[newline..searchEnd].Count((byte)'"');
            if ((quotesBefore & 1) == 0)
            {
                return newline + 1;
            }

            searchEnd = newline;
        }
    }

    private static byte[] Grow(byte[] buffer, int length)
    {
        byte[] bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }

    /// <summary>Reads past the end of the row that fills <paramref name="buffer"/>; returns what followed
    /// it, moved to the buffer's start, with its offset and line.</summary>
    private static (int Length, long Offset, long Line) SkipRestOfRow(Stream content, byte[] buffer, int length, long offset, long line)
    {
        bool quoted = (buffer.AsSpan(0, length).Count((byte)'"') & 1) == 1;
        line += buffer.AsSpan(0, length).Count((byte)'\n');
        offset += length;
        while (true)
        {
            int read = content.Read(buffer);
            if (read == 0)
            {
                return (0, offset, line);
            }

            for (int i = 0; i < read; i++)
            {
                byte b = buffer[i];
                if (b == '"')
                {
                    quoted = !quoted;
                }
                else if (b == '\n')
                {
                    line++;
                    if (!quoted)
                    {
                        int rest = read - i - 1;
                        buffer.AsSpan(i + 1, rest).CopyTo(buffer);
                        return (rest, offset + i + 1, line);
                    }
                }
            }

            offset += read;
        }
    }
}

/// <summary>How the rows of a CSV export are laid out: the separator and the <c>AuditData</c> column.</summary>
internal readonly record struct CsvLayout(byte Separator, int AuditDataColumn);
