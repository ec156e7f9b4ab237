using System.IO.Compression;
using System.Text;
using Forgewatch.Core.Events;
using Forgewatch.Sources.Normalization;
using Forgewatch.Sources.Pipeline;
using Forgewatch.Sources.Tests.Pipeline;

namespace Forgewatch.Sources.Tests.Framing;

/// <summary>The containers records arrive in are recognized by content and framed without loss.</summary>
public sealed class ContainerShapesTests
{
    private static readonly string A = Records.MailItemsAccessed("00000000-0000-4000-8000-00000000000a");
    private static readonly string B = Records.MailItemsAccessed("00000000-0000-4000-8000-00000000000b");

    [Fact]
    public void Read_ConcatenatedArrays_EveryElement()
    {
        ReadResult result = Reading.Text($"[{A}]\n[{B}, {A}]");

        Assert.Empty(result.Rejections);
        Assert.Equal(3, result.Events.Count);
        Assert.All(result.Events, e => Assert.Equal(SourceShape.UalJsonArray, e.Origin.Shape));
    }

    [Fact]
    public void Read_PrettyPrintedArray_ByteOffsetsPointAtRecords()
    {
        string text = $"[\n  {A},\n  {B}\n]\n";
        ReadResult result = Reading.Text(text);

        Assert.Equal(2, result.Events.Count);
        Assert.Equal(text.IndexOf(A, StringComparison.Ordinal), result.Events[0].Origin.ByteOffset);
        Assert.Equal(text.IndexOf(B, StringComparison.Ordinal), result.Events[1].Origin.ByteOffset);
    }

    [Fact]
    public void Read_GraphPageWithNextLinkFirst_ValueElementsAreSignIns()
    {
        string page = "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns\",\"@odata.nextLink\":\"https://graph.microsoft.com/v1.0/auditLogs/signIns?$skiptoken=x\",\"value\":[" +
            Records.SignIn("5e1d0000-0000-4000-8000-000000000001") + "," + Records.SignIn("5e1d0000-0000-4000-8000-000000000002") + "]}";

        ReadResult result = Reading.Text(page);

        Assert.Empty(result.Rejections);
        Assert.Equal(2, result.Events.Count);
        Assert.All(result.Events, e => Assert.Equal(SourceShape.SignInGraphJson, e.Origin.Shape));
    }

    [Fact]
    public void Read_DiagnosticRecordsWrapper_PropertiesReadAsSignIn()
    {
        string record = "{\"time\":\"2023-06-09T08:10:00Z\",\"category\":\"NonInteractiveUserSignInLogs\",\"tenantId\":\"" + Records.Tenant + "\",\"callerIpAddress\":\"203.0.113.9\",\"properties\":" + Records.SignIn() + "}";

        ReadResult result = Reading.Text("{\"records\":[" + record + "]}");

        SignInEvent e = Assert.IsType<SignInEvent>(Assert.Single(result.Events));
        Assert.Equal(SourceShape.SignInDiagnosticRecords, e.Origin.Shape);
        Assert.Equal(LogKind.EntraNonInteractiveSignIn, e.Log);
        Assert.Equal("bob@contoso.onmicrosoft.com", e.UserId);
        Assert.Equal("2001:db8::5", e.ClientIp?.ToString());
    }

    [Fact]
    public void Read_WrapperLikeRecordWithoutArray_IsOneRecord()
    {
        ReadResult result = Reading.Text(A);

        MailAccessEvent e = Assert.IsType<MailAccessEvent>(Assert.Single(result.Events));
        Assert.Equal(SourceShape.UalJsonObject, e.Origin.Shape);
    }

    [Fact]
    public void Read_ArrayOfNonObjects_EachRejected()
    {
        ReadResult result = Reading.Text($"[{A}, 42, \"text\"]");

        Assert.Single(result.Events);
        Assert.Equal(2, result.Rejections.Count);
        Assert.All(result.Rejections, r => Assert.Equal(RejectionCodes.NotAnObject, r.Code));
    }

    [Fact]
    public void Read_JsonLinesWithArrayPerLine_EveryElement()
    {
        ReadResult result = Reading.Text($"[{A},{B}]\n[{A}]\n");

        Assert.Equal([1L, 1L, 2L], result.Events.Select(e => e.Origin.Line));
        // Each line is a Management Activity API content array, and is reported as that shape.
        Assert.All(result.Events, e => Assert.Equal(SourceShape.UalJsonArray, e.Origin.Shape));
    }

    [Fact]
    public void Read_JsonLinesWithCrlfAndBlankLines_LineNumbersCountEveryLine()
    {
        ReadResult result = Reading.Text($"{A}\r\n\r\n{B}\r\n");

        Assert.Equal([1L, 3L], result.Events.Select(e => e.Origin.Line));
    }

    [Fact]
    public void Read_JsonLinesOddLines_EachLineJudgedAlone()
    {
        // A pretty-printed record spans lines: each of its lines is a bad line. Two records on one line,
        // a record with trailing text, or a line cut inside a string, is one bad line. Spaces around a
        // record are fine.
        string pretty = "{\n\"CreationTime\": \"2023-06-06T02:14:07\"\n}";
        string cut = "{\"CreationTime\":\"2023-06";
        string text = $"  {A}  \t\r\n{pretty}\n{A} {B}\n{B} x\n{cut}\n\t{B}\n";
        ReadResult result = Reading.Text(text);

        Assert.Equal([1L, 8L], result.Events.Select(e => e.Origin.Line));
        Assert.Equal([2L, 3L, 4L, 5L, 6L, 7L], result.Rejections.Select(r => r.Line));
        Assert.Equal(
            [RejectionCodes.InvalidJson, RejectionCodes.NotAnObject, RejectionCodes.InvalidJson, RejectionCodes.InvalidJson, RejectionCodes.InvalidJson, RejectionCodes.InvalidJson],
            result.Rejections.Select(r => r.Code));
        Assert.Contains("line ends inside a string", result.Rejections[^1].Reason, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetByteCount(text[..text.IndexOf(pretty, StringComparison.Ordinal)]), result.Rejections[0].ByteOffset);
        Assert.Equal(Encoding.UTF8.GetByteCount(text[..text.LastIndexOf(B, StringComparison.Ordinal)]), result.Events[1].Origin.ByteOffset);
    }

    [Fact]
    public void Read_LineOverRecordLimit_RejectedAndNextLinesRead()
    {
        string huge = "{\"CreationTime\":\"2023-06-06T02:14:07\",\"Pad\":\"" + new string('x', 5000) + "\"}";
        ReadResult result = Reading.Text($"{A}\n{huge}\n{B}\n", new LogReaderOptions { ChunkBytes = 1024, MaxRecordBytes = 2048 });

        Assert.Equal(2, result.Events.Count);
        Rejection r = Assert.Single(result.Rejections);
        Assert.Equal(RejectionCodes.RecordTooLarge, r.Code);
        Assert.Equal(2, r.Line);
        Assert.Equal([1L, 3L], result.Events.Select(e => e.Origin.Line));
    }

    [Fact]
    public void Read_JsonLinesCutMidRecord_FileLevelTruncation()
    {
        string text = A + "\n" + B[..(B.Length / 2)];
        ReadResult result = Reading.Text(text);

        Assert.Single(result.Events);
        Rejection r = Assert.Single(result.Rejections);
        Assert.Equal(RejectionCodes.Truncated, r.Code);
        Assert.True(r.FileLevel);
        Assert.Equal(2, r.Line);
    }

    [Fact]
    public void Read_Gzip_SameEventsAsPlain()
    {
        string text = $"{A}\n{B}\n";
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        ReadResult plain = Reading.Text(text);
        ReadResult unzipped = Reading.Bytes(compressed.ToArray());

        Assert.Empty(unzipped.Rejections);
        Assert.Equal(plain.Events.Select(e => (e.RecordId, e.Origin.Line, e.Origin.ByteOffset)), unzipped.Events.Select(e => (e.RecordId, e.Origin.Line, e.Origin.ByteOffset)));
    }

    [Fact]
    public void Read_ConcatenatedGzipMembers_AllMembersRead()
    {
        var file = new MemoryStream();
        foreach (string record in new[] { A, B })
        {
            using var gzip = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true);
            gzip.Write(Encoding.UTF8.GetBytes(record + "\n"));
        }

        ReadResult result = Reading.Bytes(file.ToArray());

        Assert.Empty(result.Rejections);
        Assert.Equal(2, result.Events.Count);
    }

    [Fact]
    public void Read_Utf16CsvWithBom_Transcoded()
    {
        string csv = "CreationDate,UserIds,Operations,AuditData\r\n2023-06-06T02:14:07,bob,MailItemsAccessed,\"" + A.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"\r\n";
        byte[] utf16 = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(csv)];

        ReadResult result = Reading.Bytes(utf16);

        Assert.Empty(result.Rejections);
        MailAccessEvent e = Assert.IsType<MailAccessEvent>(Assert.Single(result.Events));
        Assert.Equal(SourceShape.UalCsv, e.Origin.Shape);
        Assert.Equal(2, e.Origin.Line);
    }

    [Fact]
    public void Read_CsvRowWithoutAuditData_RejectedWithLine()
    {
        string csv = "CreationDate,UserIds,Operations,AuditData\n2023-06-06,bob,MailItemsAccessed,\n";

        ReadResult result = Reading.Text(csv);

        Rejection r = Assert.Single(result.Rejections);
        Assert.Equal(RejectionCodes.CsvRow, r.Code);
        Assert.Equal(2, r.Line);
    }

    [Fact]
    public void Read_UnknownText_FileLevelUnrecognizedFormat()
    {
        ReadResult result = Reading.Text("hello,world\n1,2\n");

        Rejection r = Assert.Single(result.Rejections);
        Assert.Equal(RejectionCodes.UnrecognizedFormat, r.Code);
        Assert.True(r.FileLevel);
    }

    [Fact]
    public void Read_EmptyFile_NothingAndNoError()
    {
        ReadResult result = Reading.Text("  \n");

        Assert.Empty(result.Events);
        Assert.Empty(result.Rejections);
    }

    [Fact]
    public void Read_JsonDocumentWithInvalidUtf8SplitAcrossReads_FileStopsWithExactOffset()
    {
        // A valid two-byte character straddles the 97-byte reads, then a lone continuation byte follows:
        // a JSON document stops there, every whole line before it read.
        byte[] prefix = Encoding.UTF8.GetBytes("[" + A + ",\n{\"CreationTime\":\"é");
        byte[] bytes = [.. prefix, 0x80, .. Encoding.UTF8.GetBytes("\"}]\n")];

        ReadResult result = Reading.Bytes(bytes, new LogReaderOptions { ChunkBytes = 97 });

        Assert.Single(result.Events);
        Rejection r = Assert.Single(result.Rejections);
        Assert.Equal(RejectionCodes.InvalidUtf8, r.Code);
        Assert.True(r.FileLevel);
        Assert.Equal(prefix.Length, r.ByteOffset);
    }

    [Theory]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })]
    [InlineData(new byte[] { 0xFF })]
    public void Read_JsonLinesWithInvalidUtf8InALine_ThatLineRejectedTheRestRead(byte[] bad)
    {
        // Split reads (97 bytes) and a valid non-ASCII character before the bad bytes, in a name and a value.
        byte[] second = [.. Encoding.UTF8.GetBytes("{\"CreationTime\":\"2023-06-06T02:14:07\",\"Opération\":\"é"), .. bad, .. Encoding.UTF8.GetBytes("\"}")];
        byte[] bytes = [.. Encoding.UTF8.GetBytes(A + "\n"), .. second, .. Encoding.UTF8.GetBytes("\n" + B + "\n")];

        ReadResult result = Reading.Bytes(bytes, new LogReaderOptions { ChunkBytes = 97 });

        Assert.Equal(2, result.Events.Count);
        Rejection r = Assert.Single(result.Rejections);
        Assert.Equal(RejectionCodes.InvalidUtf8, r.Code);
        Assert.False(r.FileLevel);
        Assert.Equal(2, r.Line);
        Assert.Equal(A.Length + 1, r.ByteOffset);
        Assert.Contains("UTF-8", r.Reason, StringComparison.Ordinal);
    }
}
