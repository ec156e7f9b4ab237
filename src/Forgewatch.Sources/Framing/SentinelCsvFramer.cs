using System.Buffers;
using System.Text;
using System.Text.Json;
using Forgewatch.Sources.Normalization;
using Forgewatch.Sources.Pipeline;
using nietras.SeparatedValues;

namespace Forgewatch.Sources.Framing;

/// <summary>
/// Frames Sentinel <c>OfficeActivity</c> CSV exports with Sep (RFC 4180 quoting, separator detected from
/// the header): each row is turned into a JSON object of its non-empty cells, so that the normalizer reads
/// them like the JSON exports (dynamic columns stay JSON text, which the normalizer accepts). Purview
/// exports, whose rows carry the record in one cell, have their own framer (<see cref="CsvRowsFramer"/>).
/// </summary>
internal sealed class SentinelCsvFramer(string source, int chunkBytes, int maxRecordBytes)
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
            ReadRows(reader, chunks, skippedLines, cancellationToken);
        }
        finally
        {
            chunks.Flush();
        }
    }

    private void ReadRows(SepReader reader, ChunkBuilder chunks, int skippedLines, CancellationToken cancellationToken)
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
