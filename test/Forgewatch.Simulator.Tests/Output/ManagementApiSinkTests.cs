using System.Text.Json;
using Forgewatch.Core.Events;
using Forgewatch.Simulator.Output;
using Forgewatch.Simulator.Records;

namespace Forgewatch.Simulator.Tests.Output;

public sealed class ManagementApiSinkTests
{
    private const string Shape = "management-api";

    [Fact]
    public void Write_UalAndSignIns_EveryRecordReadBackWithoutRejection()
    {
        SimRecord[] records = [ShapeRecords.SignIn(1), ShapeRecords.Ual(2), ShapeRecords.Ual(3), ShapeRecords.SignIn(4), ShapeRecords.Ual(5)];
        using var output = ShapeOutput.Write(Shape, records);
        Assert.Empty(output.Rejections);
        Assert.Equal(3, output.Ual.Count());
        Assert.Equal(2, output.SignIns.Count());
        Assert.All(output.Ual, e => Assert.Equal(SourceShape.UalJsonArray, e.Origin.Shape));
        Assert.All(output.SignIns, e => Assert.Equal(SourceShape.SignInGraphJson, e.Origin.Shape));
        Assert.Equal(["signins/page-00001.json", "ual/content-00001.json"], output.Files);
    }

    [Fact]
    public void Write_MoreThan5000UalRecords_BlobsOfAtMost5000EachAJsonArray()
    {
        const int count = (2 * ContentBlobWriter.MaxRecords) + 1;
        SimRecord[] records = [.. Enumerable.Range(0, count).Select(n => ShapeRecords.Ual(n, ShapeRecords.Start.AddSeconds(n / 10.0)))];
        using var output = ShapeOutput.Write(Shape, records);
        Assert.Equal(["ual/content-00001.json", "ual/content-00002.json", "ual/content-00003.json"], output.Files);
        int total = 0;
        foreach (string file in output.Files)
        {
            using var blob = JsonDocument.Parse(output.Bytes(file));
            Assert.Equal(JsonValueKind.Array, blob.RootElement.ValueKind);
            Assert.InRange(blob.RootElement.GetArrayLength(), 1, ContentBlobWriter.MaxRecords);
            total += blob.RootElement.GetArrayLength();
        }

        Assert.Equal(count, total);
        Assert.Empty(output.Rejections);
        Assert.Equal(count, output.Ual.Count());
    }

    [Fact]
    public void Write_RecordsOnThreeDays_OneBlobPerDay()
    {
        SimRecord[] records = [.. Enumerable.Range(0, 9).Select(n => ShapeRecords.Ual(n, ShapeRecords.Start.Date.AddHours(n * 8)))];
        using var output = ShapeOutput.Write(Shape, records);
        Assert.Equal(3, output.Files.Count);
        foreach (string file in output.Files)
        {
            using var blob = JsonDocument.Parse(output.Bytes(file));
            Assert.Single(blob.RootElement.EnumerateArray().Select(r => r.GetProperty("CreationTime").GetString()![..10]).Distinct());
        }

        Assert.Empty(output.Rejections);
        Assert.Equal(9, output.Ual.Count());
    }

    [Fact]
    public void Write_SingleRecordBlobAndPage_ReadAsDocumentsNotJsonLines()
    {
        using var output = ShapeOutput.Write(Shape, [ShapeRecords.Ual(1), ShapeRecords.SignIn(2)]);
        Assert.Empty(output.Rejections);
        Assert.Equal(SourceShape.UalJsonArray, Assert.Single(output.Ual).Origin.Shape);
        Assert.Equal(SourceShape.SignInGraphJson, Assert.Single(output.SignIns).Origin.Shape);
    }

    [Fact]
    public void Write_MoreThan1000SignIns_PagesOfAtMost1000LinkedByNextLinkExceptTheLast()
    {
        const int count = (2 * GraphPageWriter.MaxRecords) + 500;
        SimRecord[] records = [.. Enumerable.Range(0, count).Select(n => ShapeRecords.SignIn(n))];
        using var output = ShapeOutput.Write(Shape, records);
        Assert.Equal(["signins/page-00001.json", "signins/page-00002.json", "signins/page-00003.json"], output.Files);
        int total = 0;
        for (int i = 0; i < output.Files.Count; i++)
        {
            using var page = JsonDocument.Parse(output.Bytes(output.Files[i]));
            Assert.Equal(GraphPageWriter.Context, page.RootElement.GetProperty("@odata.context").GetString());
            int length = page.RootElement.GetProperty("value").GetArrayLength();
            Assert.InRange(length, 1, GraphPageWriter.MaxRecords);
            total += length;
            bool last = i == output.Files.Count - 1;
            Assert.Equal(!last, page.RootElement.TryGetProperty("@odata.nextLink", out JsonElement next));
            if (!last)
            {
                Assert.StartsWith(GraphPageWriter.NextLinkBase, next.GetString(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(count, total);
        Assert.Empty(output.Rejections);
        Assert.Equal(count, output.SignIns.Count());
    }

    [Fact]
    public void Write_ExactlyOneFullPage_HasNoNextLink()
    {
        SimRecord[] records = [.. Enumerable.Range(0, GraphPageWriter.MaxRecords).Select(n => ShapeRecords.SignIn(n))];
        using var output = ShapeOutput.Write(Shape, records);
        using var page = JsonDocument.Parse(output.Bytes(Assert.Single(output.Files)));
        Assert.False(page.RootElement.TryGetProperty("@odata.nextLink", out _));
    }

    [Fact]
    public void Write_MalformedRecords_EachInAFileOfItsOwnWithOneRejection()
    {
        SimRecord[] records =
        [
            ShapeRecords.Ual(1), ShapeRecords.Cut(ShapeRecords.Ual(1)), ShapeRecords.Ual(2),
            ShapeRecords.SignIn(3), ShapeRecords.Cut(ShapeRecords.SignIn(3)), ShapeRecords.SignIn(4),
            ShapeRecords.Ual(5), ShapeRecords.Cut(ShapeRecords.Ual(5)),
        ];
        using var output = ShapeOutput.Write(Shape, records);
        Assert.Equal(
            ["signins/page-00001.json", "signins/page-malformed-00001.json", "ual/content-00001.json", "ual/content-malformed-00001.json", "ual/content-malformed-00002.json"],
            output.Files);
        Assert.Equal(3, output.Ual.Count());
        Assert.Equal(2, output.SignIns.Count());
        Assert.Equal(3, output.Rejections.Count);
        string[] malformed = [.. output.Files.Where(f => f.Contains("malformed", StringComparison.Ordinal)).Select(f => Path.GetFullPath(output.PathOf(f)))];
        Assert.Equal(malformed.Order(StringComparer.Ordinal), output.Rejections.Select(r => Path.GetFullPath(r.Source)).Order(StringComparer.Ordinal));
        Assert.Equal(records[1].Json.ToArray(), output.Bytes("ual/content-malformed-00001.json"));
    }
}
