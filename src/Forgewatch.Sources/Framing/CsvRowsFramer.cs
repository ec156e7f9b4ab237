using System.Buffers;
using System.Text;
using Forgewatch.Sources.Normalization;

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
    : RecordBoundaryFramer(source, chunkBytes, maxRecordBytes)
{
    private CsvLayout _layout;

    protected override string RecordName => "row";

    protected override Container Container => Container.Csv;

    public void Run(Stream content, IChunkTarget target, CancellationToken cancellationToken)
    {
        byte[]? buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
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
                if (length >= MaxRecordBytes)
                {
                    throw new FramingException(RejectionCodes.RecordTooLarge, $"the CSV header is longer than the {MaxRecordBytes}-byte record limit", position, line);
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

            _layout = ReadHeader(buffer.AsSpan(position, headerEnd - position), line);
            line += buffer.AsSpan(position, headerEnd - position).Count((byte)'\n');
            int rest = length - headerEnd;
            buffer.AsSpan(headerEnd, rest).CopyTo(buffer);
            FrameRecords(content, target, ref buffer, rest, ended, line, offset: headerEnd, cancellationToken);
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
        int end = FirstLineEndOutsideQuotes(buffer.AsSpan(start, length - start), ref quoted);
        return end < 0 ? -1 : start + end;
    }

    /// <summary>After the first line end outside quotes in <paramref name="data"/>, or -1; <paramref name="quoted"/>
    /// says whether the data starts inside quotes, and is left as it stands at the end of the data when none is found.</summary>
    private static int FirstLineEndOutsideQuotes(ReadOnlySpan<byte> data, ref bool quoted)
    {
        int p = 0;
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

    protected override RecordChunk NewChunk(byte[] buffer, int length, long line, long offset, bool endsUnterminated) =>
        new(Source, buffer, length, Container.Csv) { FirstLine = line, BaseOffset = offset, Csv = _layout, EndsUnterminated = endsUnterminated };

    /// <summary>After the last line end in the data that ends a row (an even number of quotes before it,
    /// the data starting outside quotes), or 0.</summary>
    protected override int LastRecordEnd(ReadOnlySpan<byte> data)
    {
        int quotesBefore = data.Count((byte)'"');
        int searchEnd = data.Length;
        while (true)
        {
            int newline = data[..searchEnd].LastIndexOf((byte)'\n');
            if (newline < 0)
            {
                return 0;
            }

            quotesBefore -= data[newline..searchEnd].Count((byte)'"');
            if ((quotesBefore & 1) == 0)
            {
                return newline + 1;
            }

            searchEnd = newline;
        }
    }

    /// <summary>Follows quotes across reads, so a line end inside a quoted value does not end the row.</summary>
    protected override (int Length, long Offset, long Line) SkipRestOfRecord(Stream content, byte[] buffer, int length, long offset, long line)
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

            int end = FirstLineEndOutsideQuotes(buffer.AsSpan(0, read), ref quoted);
            if (end >= 0)
            {
                int rest = read - end;
                line += buffer.AsSpan(0, end).Count((byte)'\n');
                buffer.AsSpan(end, rest).CopyTo(buffer);
                return (rest, offset + end, line);
            }

            line += buffer.AsSpan(0, read).Count((byte)'\n');
            offset += read;
        }
    }
}

/// <summary>How the rows of a CSV export are laid out: the separator and the <c>AuditData</c> column.</summary>
internal readonly record struct CsvLayout(byte Separator, int AuditDataColumn);
