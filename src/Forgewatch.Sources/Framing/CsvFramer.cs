using System.Buffers;
using System.Text;
using System.Text.Json;
using Forgewatch.Sources.Normalization;
using Forgewatch.Sources.Pipeline;
using nietras.SeparatedValues;

namespace Forgewatch.Sources.Framing;

/// <summary>
/// Frames CSV exports with Sep (RFC 4180 quoting, separator detected from the header). For Purview and
/// <c>Search-UnifiedAuditLog</c> exports each row's <c>AuditData</c> cell is the record; for Sentinel
/// <c>OfficeActivity</c> exports each row is turned into a JSON object of its non-empty cells, so that one
/// normalizer reads both (dynamic columns stay JSON text, which the normalizer accepts).
/// </summary>
internal sealed class CsvFramer(string source, int chunkBytes, int maxRecordBytes, InputFormat format)
{
    public void Run(Stream content, IChunkTarget target, CancellationToken cancellationToken)
    {
        using var text = new StreamReader(content, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        int skippedLines = 0;
        if (text.Peek() == '#')
        {
            // PowerShell 5 Export-Csv writes "#TYPE <type name>" above the header.
            text.ReadLine();
            skippedLines = 1;
        }

        using SepReader reader = Sep.Reader(o => o with
        {
            Unescape = true,
            DisableColCountCheck = true,
            ColNameComparer = StringComparer.OrdinalIgnoreCase,
        }).From(text);

        var chunks = new ChunkBuilder(source, chunkBytes, target, cancellationToken);
        try
        {
            if (format == InputFormat.UalCsv)
            {
                ReadAuditData(reader, chunks, skippedLines, cancellationToken);
            }
            else
            {
                ReadSentinelRows(reader, chunks, skippedLines, cancellationToken);
            }
        }
        finally
        {
            chunks.Flush();
        }
    }

    private void ReadAuditData(SepReader reader, ChunkBuilder chunks, int skippedLines, CancellationToken cancellationToken)
    {
        if (!reader.Header.TryIndexOf("AuditData", out int column))
        {
            throw new FramingException(RejectionCodes.UnrecognizedFormat, "the CSV header has no AuditData column", 0, 1 + skippedLines);
        }

        foreach (SepReader.Row row in reader)
        {
            long line = row.LineNumberFrom + skippedLines;
            if (column >= row.ColCount || row[column].Span.Trim().IsEmpty)
            {
                chunks.Reject(new Rejection(source, line, -1, RejectionCodes.CsvRow, "The row has no AuditData value.", Excerpt(row.Span)));
                continue;
            }

            ReadOnlySpan<char> json = row[column].Span;
            int maxBytes = Encoding.UTF8.GetMaxByteCount(json.Length);
            if (maxBytes > maxRecordBytes)
            {
                chunks.Reject(new Rejection(source, line, -1, RejectionCodes.RecordTooLarge, $"The AuditData value is larger than the {maxRecordBytes}-byte record limit.", Excerpt(json)));
                continue;
            }

            Span<byte> destination = chunks.Reserve(maxBytes);
            int written = Encoding.UTF8.GetBytes(json, destination);
            chunks.Commit(written, line, -1, Container.Csv);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private void ReadSentinelRows(SepReader reader, ChunkBuilder chunks, int skippedLines, CancellationToken cancellationToken)
    {
        // Log Analytics writes a column's type after its name: "TimeGenerated [UTC]".
        string[] names = [.. reader.Header.ColNames.Select(n => n.Split(" [", 2)[0].Trim())];
        var output = new ArrayBufferWriter<byte>(4096);
        foreach (SepReader.Row row in reader)
        {
            long line = row.LineNumberFrom + skippedLines;
            output.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(output))
            {
                writer.WriteStartObject();
                for (int i = 0; i < Math.Min(row.ColCount, names.Length); i++)
                {
                    ReadOnlySpan<char> value = row[i].Span;
                    if (!value.IsEmpty)
                    {
                        writer.WriteString(names[i], value);
                    }
                }

                writer.WriteEndObject();
            }

            if (output.WrittenCount > maxRecordBytes)
            {
                chunks.Reject(new Rejection(source, line, -1, RejectionCodes.RecordTooLarge, $"The row is larger than the {maxRecordBytes}-byte record limit.", Excerpt(row.Span)));
                continue;
            }

            chunks.Add(output.WrittenSpan, line, -1, Container.Csv);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static string Excerpt(ReadOnlySpan<char> text) =>
        new(text[..Math.Min(text.Length, Rejection.MaxExcerptLength)]);
}
