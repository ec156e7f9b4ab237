using System.Text;
using Forgewatch.Core.Events;
using Forgewatch.Sources.Framing;
using Forgewatch.Sources.Normalization;
using Forgewatch.Sources.Pipeline;
using Forgewatch.Sources.Tests.Pipeline;
using nietras.SeparatedValues;

namespace Forgewatch.Sources.Tests.Framing;

/// <summary>
/// Purview CSV exports are cut into rows by quote counting (<see cref="CsvRowsFramer"/>) and their
/// AuditData cells read by the workers (<see cref="CsvRowReader"/>): the rows, lines and cell texts must be
/// those of an RFC 4180 reader (Sep), wherever the chunks are cut.
/// </summary>
public sealed class CsvRowsTests
{
    private static readonly string A = Records.MailItemsAccessed("00000000-0000-4000-8000-00000000000a");

    [Fact]
    public void Rows_GeneratedExports_SameCellsAndLinesAsSep()
    {
        var random = new Random(20230615);
        int cells = 0;
        int withoutAuditData = 0;
        for (int i = 0; i < 400; i++)
        {
            string csv = GenerateExport(random);
            List<(long Line, string? Cell)> expected = WithSep(csv);
            foreach (int chunkBytes in (int[])[16, 61, 200, 1 << 20])
            {
                (List<(long Line, string? Cell)> actual, List<Rejection> rejections) = WithFramer(csv, chunkBytes);
                Assert.Empty(rejections);
                Assert.Equal(expected, actual);
            }

            cells += expected.Count(r => r.Cell is not null);
            withoutAuditData += expected.Count(r => r.Cell is null);
        }

        Assert.True(cells > 1000, $"only {cells} AuditData cells were compared");
        Assert.True(withoutAuditData > 50, $"only {withoutAuditData} short rows were compared");
    }

    [Fact]
    public void Rows_QuotesAtEveryVectorBoundary_UnquotedExactly()
    {
        // A doubled quote straddling the 32-byte blocks the cell reader looks at, at every offset.
        for (int pad = 0; pad < 70; pad++)
        {
            string value = new string('x', pad) + "\"\"" + new string('y', 40) + "\"\"\"\"" + "z";
            string csv = "Id,AuditData,Tail\n1,\"" + value + "\",t\n";
            (List<(long Line, string? Cell)> rows, List<Rejection> rejections) = WithFramer(csv, 1 << 20);
            Assert.Empty(rejections);
            Assert.Equal([(2L, value.Replace("\"\"", "\"", StringComparison.Ordinal))], rows);
        }
    }

    [Fact]
    public void Read_BlankLinesAndTypeLine_SkippedWithLinesCounted()
    {
        string csv = "#TYPE System.Management.Automation.PSCustomObject\r\n" +
            "CreationDate,UserIds,Operations,AuditData\r\n" +
            "\r\n" +
            "2023-06-06,bob,MailItemsAccessed,\"" + Quote(A) + "\"\r\n";

        ReadResult result = Reading.Text(csv);

        Assert.Empty(result.Rejections);
        AuditEvent e = Assert.Single(result.Events);
        Assert.Equal(SourceShape.UalCsv, e.Origin.Shape);
        Assert.Equal(4, e.Origin.Line);
        Assert.Equal(csv.IndexOf("2023-06-06", StringComparison.Ordinal), e.Origin.ByteOffset);
    }

    [Fact]
    public void Read_AuditDataNotLast_Read()
    {
        string csv = "RecordId,AuditData,AssociatedAdminUnits\n7,\"" + Quote(A) + "\",\"a,b\"\n";

        ReadResult result = Reading.Text(csv);

        Assert.Empty(result.Rejections);
        Assert.IsType<MailAccessEvent>(Assert.Single(result.Events));
    }

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData('|')]
    public void Read_OtherSeparators_ReadLikeCommas(char separator)
    {
        string csv = $"RecordId{separator}AuditData{separator}AssociatedAdminUnits\n7{separator}\"" + Quote(A) + $"\"{separator}\"a{separator}b\"\n";

        ReadResult result = Reading.Text(csv);

        Assert.Empty(result.Rejections);
        Assert.IsType<MailAccessEvent>(Assert.Single(result.Events));
    }

    [Fact]
    public void Read_LoneCarriageReturnLineEnds_RowsAndLinesAsSep()
    {
        string csv = "CreationDate,AuditData\r2023-06-06,\"" + Quote(A) + "\"\r2023-06-07,\"" + Quote(A.Replace(",", ",\r", StringComparison.Ordinal)) + "\"\r";

        ReadResult result = Reading.Text(csv);

        Assert.Empty(result.Rejections);
        Assert.Equal(WithSep(csv).Select(r => r.Line), result.Events.Select(e => e.Origin.Line));
        Assert.Equal(2, result.Events.Count);
    }

    [Fact]
    public void Read_FileEndsInsideQuotedCell_TruncatedAfterTheRowsBefore()
    {
        string csv = "CreationDate,AuditData\n2023-06-06,\"" + Quote(A) + "\"\n2023-06-07,\"" + Quote(A)[..100];

        ReadResult result = Reading.Text(csv);

        Assert.Single(result.Events);
        Rejection r = Assert.Single(result.Rejections);
        Assert.Equal(RejectionCodes.Truncated, r.Code);
        Assert.True(r.FileLevel);
        Assert.Equal(3, r.Line);
    }

    [Fact]
    public void Read_RowLongerThanRecordLimit_RejectedAndTheNextRowRead()
    {
        string big = "\"" + new string('x', 5000) + "\"\"\n" + new string('y', 5000) + "\"";
        string csv = "CreationDate,AuditData\n2023-06-06," + big + "\n2023-06-07,\"" + Quote(A) + "\"\n";

        ReadResult result = Reading.Text(csv, new LogReaderOptions { ChunkBytes = 1024, MaxRecordBytes = 4096 });

        Rejection r = Assert.Single(result.Rejections);
        Assert.Equal(RejectionCodes.RecordTooLarge, r.Code);
        Assert.Equal(2, r.Line);
        AuditEvent e = Assert.Single(result.Events);
        Assert.Equal(4, e.Origin.Line);
    }

    [Fact]
    public void Read_RowWithBlankAuditData_RejectedWithLine()
    {
        string csv = "CreationDate,AuditData,Tail\n2023-06-06,\"  \",x\n2023-06-07\n";

        ReadResult result = Reading.Text(csv);

        Assert.Empty(result.Events);
        Assert.Equal([2L, 3L], result.Rejections.Select(r => r.Line));
        Assert.All(result.Rejections, r => Assert.Equal(RejectionCodes.CsvRow, r.Code));
    }

    private static string Quote(string text) => text.Replace("\"", "\"\"", StringComparison.Ordinal);

    /// <summary>The AuditData cell of each row as Sep reads it (null when the row is too short); empty lines left out.</summary>
    private static List<(long Line, string? Cell)> WithSep(string csv)
    {
        using SepReader reader = Sep.Reader(o => o with { Unescape = true, DisableColCountCheck = true, ColNameComparer = StringComparer.OrdinalIgnoreCase }).FromText(csv);
        int column = reader.Header.IndexOf("AuditData");
        var rows = new List<(long, string?)>();
        foreach (SepReader.Row row in reader)
        {
            if (row.ColCount == 1 && row.Span.Trim('\r').IsEmpty)
            {
                // An empty line: no record, which the framer skips without a word.
                continue;
            }

            rows.Add((row.LineNumberFrom, column < row.ColCount ? row[column].ToString() : null));
        }

        return rows;
    }

    /// <summary>Frames <paramref name="csv"/> into chunks of about <paramref name="chunkBytes"/> and reads
    /// their rows as the workers do.</summary>
    private static (List<(long Line, string? Cell)> Rows, List<Rejection> Rejections) WithFramer(string csv, int chunkBytes)
    {
        var chunks = new List<RecordChunk>();
        new CsvRowsFramer("test.csv", chunkBytes, 1 << 20).Run(new MemoryStream(Encoding.UTF8.GetBytes(csv)), new ListTarget(chunks), CancellationToken.None);
        var rows = new List<(long, string?)>();
        var rejections = new List<Rejection>();
        var reader = new CsvRowReader();
        foreach (RecordChunk chunk in chunks)
        {
            rejections.AddRange(chunk.Rejections ?? []);
            CsvLayout layout = chunk.Csv ?? throw new InvalidOperationException("A chunk without a CSV layout.");
            ReadOnlySpan<byte> data = chunk.Buffer.AsSpan(0, chunk.Length);
            int position = 0;
            long line = chunk.FirstLine;
            while (position < data.Length)
            {
                CsvRow row = reader.Read(data, ref position, layout);
                Assert.False(row.CutShort);
                if (!row.Blank)
                {
                    rows.Add((line, row.HasAuditData ? Encoding.UTF8.GetString(reader.Cell) : null));
                }

                line += row.Lines;
            }
        }

        return (rows, rejections);
    }

    private static string GenerateExport(Random random)
    {
        string[] names = ["RecordId", "CreationDate", "Operation", "UserId", "AssociatedAdminUnits"];
        int columns = random.Next(1, 5);
        int auditData = random.Next(columns + 1);
        var header = names.OrderBy(_ => random.Next()).Take(columns).ToList();
        header.Insert(auditData, random.Next(4) == 0 ? "auditdata" : "AuditData");
        char separator = random.Next(5) switch { 0 => ';', 1 => '\t', _ => ',' };
        string newline = random.Next(2) == 0 ? "\n" : "\r\n";
        var text = new StringBuilder(string.Join(separator, header)).Append(newline);
        int rows = random.Next(1, 12);
        for (int r = 0; r < rows; r++)
        {
            int count = random.Next(8) == 0 ? random.Next(1, header.Count) : header.Count;
            for (int c = 0; c < count; c++)
            {
                if (c > 0)
                {
                    text.Append(separator);
                }

                text.Append(Cell(random, separator, c == auditData));
            }

            if (r < rows - 1 || random.Next(3) > 0)
            {
                text.Append(newline);
            }
        }

        return text.ToString();
    }

    private static string Cell(Random random, char separator, bool auditData)
    {
        int kind = auditData ? random.Next(2, 7) : random.Next(7);
        return kind switch
        {
            0 => string.Empty,
            1 => "plain value",
            2 => "\"" + Quote("{\"Id\":\"a" + separator + "b\",\"Path\":\"\\\\Inbox\"}") + "\"",
            3 => "\"line one\nline two\r\nthree\"",
            4 => "\"" + Quote(new string('k', random.Next(0, 90)) + "\"" + new string('v', random.Next(0, 40)) + "\"\"é😀") + "\"",
            5 => "\"" + separator + "\"",
            _ => "\"\"",
        };
    }

    private sealed class ListTarget(List<RecordChunk> chunks) : IChunkTarget
    {
        public void Post(RecordChunk chunk, CancellationToken cancellationToken) => chunks.Add(chunk);
    }
}
