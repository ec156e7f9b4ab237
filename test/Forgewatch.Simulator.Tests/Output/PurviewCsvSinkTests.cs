using System.Text;
using Forgewatch.Core.Events;
using Forgewatch.Simulator.Output;
using Forgewatch.Simulator.Records;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Simulator.Tests.Output;

public sealed class PurviewCsvSinkTests
{
    private const string Shape = "purview-csv";

    private const string Header = "RecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames";

    [Fact]
    public void Write_UalAndSignIns_EveryRecordReadBackWithoutRejection()
    {
        SimRecord[] records = [ShapeRecords.SignIn(1), ShapeRecords.Ual(2), ShapeRecords.Ual(3), ShapeRecords.SignIn(4), ShapeRecords.Ual(5)];
        using var output = ShapeOutput.Write(Shape, records);
        Assert.Empty(output.Rejections);
        Assert.Equal(3, output.Ual.Count());
        Assert.Equal(2, output.SignIns.Count());
        Assert.All(output.Ual, e => Assert.Equal(SourceShape.UalCsv, e.Origin.Shape));
        Assert.All(output.SignIns, e => Assert.Equal(SourceShape.SignInJsonLines, e.Origin.Shape));
        Assert.Equal([PurviewCsvSink.UalFile, PurviewCsvSink.SignInFile], output.Files);
        Assert.Equal([records[1].TextId, records[2].TextId, records[4].TextId], output.Ual.Select(e => e.RecordId));
    }

    [Fact]
    public void Write_Export_BomHeaderAndCrlfRowsAsPurviewWritesThem()
    {
        SimRecord record = ShapeRecords.Ual(7, new DateTime(2023, 6, 6, 2, 36, 5, DateTimeKind.Utc), user: "bob@contoso.onmicrosoft.com");
        using var output = ShapeOutput.Write(Shape, [record]);
        byte[] bytes = output.Bytes(PurviewCsvSink.UalFile);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        string text = Encoding.UTF8.GetString(bytes.AsSpan(3));
        string json = Encoding.UTF8.GetString(record.Json.Span);
        Assert.Equal(
            $"{Header}\r\n{record.Id},2023-06-06T02:36:05.0000000Z,ExchangeItemAggregated,MailItemsAccessed,bob@contoso.onmicrosoft.com,\"{json.Replace("\"", "\"\"", StringComparison.Ordinal)}\",,\r\n",
            text);
    }

    [Fact]
    public void Write_MalformedUalRecord_OnlyItsRowRejectedAndTheRestRead()
    {
        SimRecord[] records = [ShapeRecords.Ual(1), ShapeRecords.Cut(ShapeRecords.Ual(1)), ShapeRecords.Ual(2), ShapeRecords.Ual(3)];
        using var output = ShapeOutput.Write(Shape, records);
        Assert.Equal(3, output.Ual.Count());
        Rejection rejection = Assert.Single(output.Rejections);
        Assert.Equal("invalid_json", rejection.Code);
        Assert.False(rejection.FileLevel);
        Assert.Equal(3, rejection.Line);
    }

    [Fact]
    public void Write_MalformedRecordCutInsideACharacter_StillOnlyItsRowRejected()
    {
        SimRecord whole = ShapeRecords.Ual(1, user: "zoë@contoso.onmicrosoft.com");
        int insideE = whole.Json.Span.IndexOf("ë"u8) + 1;
        SimRecord[] records = [whole, ShapeRecords.Cut(whole, insideE), ShapeRecords.Ual(2)];
        using var output = ShapeOutput.Write(Shape, records);
        Assert.Equal(2, output.Ual.Count());
        Rejection rejection = Assert.Single(output.Rejections);
        Assert.Equal("invalid_json", rejection.Code);
        Assert.False(rejection.FileLevel);
    }

    [Fact]
    public void Write_MalformedSignIn_OnlyItsLineRejected()
    {
        SimRecord[] records = [ShapeRecords.SignIn(1), ShapeRecords.Cut(ShapeRecords.SignIn(1)), ShapeRecords.SignIn(2), ShapeRecords.Ual(3)];
        using var output = ShapeOutput.Write(Shape, records);
        Assert.Equal(2, output.SignIns.Count());
        Assert.Single(output.Ual);
        Rejection rejection = Assert.Single(output.Rejections);
        Assert.Equal(2, rejection.Line);
        Assert.EndsWith("signins.jsonl", rejection.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_CellsWithCommasAndQuotes_QuotedSoTheRowStaysOneRow()
    {
        SimRecord record = ShapeRecords.Ual(1, user: "o\"neil,pat@contoso.onmicrosoft.com");
        using var output = ShapeOutput.Write(Shape, [record, ShapeRecords.Ual(2)]);
        Assert.Empty(output.Rejections);
        Assert.Equal(2, output.Ual.Count());
        Assert.Contains(",\"o\"\"neil,pat@contoso.onmicrosoft.com\",", Encoding.UTF8.GetString(output.Bytes(PurviewCsvSink.UalFile)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(50, "ExchangeItemAggregated")]
    [InlineData(15, "AzureActiveDirectoryStsLogon")]
    [InlineData(1, "ExchangeAdmin")]
    [InlineData(999, "999")]
    public void RecordTypeName_Number_NameAsPurviewShowsIt(int recordType, string expected) =>
        Assert.Equal(expected, PurviewColumns.RecordTypeName(recordType));

    [Fact]
    public void Read_RecordCutShort_GivesTheMembersBeforeTheCut()
    {
        byte[] json = """{"CreationTime":"2023-06-06T02:36:05","Operation":"MailItemsAccessed","RecordType":50,"UserId":"bob@cont"""u8.ToArray();
        Assert.Equal(new PurviewColumns("MailItemsAccessed", "ExchangeItemAggregated", null), PurviewColumns.Read(json));
    }
}
