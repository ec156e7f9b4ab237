using Forgewatch.Core.Events;
using Forgewatch.Sources.Normalization;
using Forgewatch.Sources.Pipeline;
using Forgewatch.Testing;

namespace Forgewatch.Sources.Tests.Pipeline;

/// <summary>Every export fixture is read in full, in the shape it is written in (docs/samples.md, "The export fixtures").</summary>
public sealed class SampleFilesTests
{
    public static TheoryData<string, SourceShape, int> GoodFiles => new()
    {
        { "ual/management-api/content-2023-06-06.json", SourceShape.UalJsonArray, 21 },
        { "ual/management-api/single-record.json", SourceShape.UalJsonObject, 1 },
        { "ual/collector/ual-2023-06-05.jsonl.gz", SourceShape.UalJsonLines, 20 },
        { "ual/collector/ual-2023-06-07.jsonl", SourceShape.UalJsonLines, 22 },
        { "ual/purview/audit-export-2023-06-08.csv", SourceShape.UalCsv, 14 },
        { "ual/search-unifiedauditlog/sual-2023-06-09.csv", SourceShape.UalCsv, 11 },
        { "sentinel/officeactivity-2023-06-07.json", SourceShape.SentinelOfficeActivityJson, 8 },
        { "sentinel/officeactivity-2023-06-08.csv", SourceShape.SentinelOfficeActivityCsv, 9 },
        { "entra/graph/signins-page1.json", SourceShape.SignInGraphJson, 6 },
        { "entra/graph/signins-page2.json", SourceShape.SignInGraphJson, 7 },
        { "entra/collector/signins.jsonl", SourceShape.SignInJsonLines, 25 },
        { "entra/diagnostic/PT1H.json", SourceShape.SignInDiagnosticRecords, 11 },
    };

    [Theory]
    [MemberData(nameof(GoodFiles))]
    public void Read_SampleFile_EveryRecordInItsShape(string relativePath, SourceShape shape, int records)
    {
        ReadResult result = Reading.File(Path.Combine(RepositoryPaths.Exports, relativePath));

        Assert.Empty(result.Rejections);
        Assert.Equal(records, result.Events.Count);
        Assert.All(result.Events, e => Assert.Equal(shape, e.Origin.Shape));
        Assert.All(result.Events, e => Assert.Equal(DateTimeKind.Utc, e.Time.Kind));
        Assert.All(result.Events, e => Assert.Equal(Records.Tenant, e.TenantId ?? Records.Tenant));
    }

    [Theory]
    [MemberData(nameof(GoodFiles))]
    public void Read_SampleFileInTinyChunks_SameEventsAsDefault(string relativePath, SourceShape shape, int records)
    {
        string path = Path.Combine(RepositoryPaths.Exports, relativePath);
        ReadResult normal = Reading.File(path);
        ReadResult tiny = Reading.File(path, new LogReaderOptions { ChunkBytes = 97, Parallelism = 2, MaxRecordBytes = 1 << 20 });

        Assert.Equal(records, tiny.Events.Count);
        Assert.Equal(normal.Events.Select(Key), tiny.Events.Select(Key));
        Assert.All(tiny.Events, e => Assert.Equal(shape, e.Origin.Shape));
    }

    private static string Key(AuditEvent e) => $"{e.RecordId}|{e.Origin.Line}|{e.Origin.ByteOffset}|{e.Operation}|{e.UserId}|{e.ClientIp}";

    /// <summary>Parsing on the framing thread (as the server reads request bodies), in small chunks, with one reader
    /// used twice and twice at once: the same events as the default.</summary>
    [Theory]
    [MemberData(nameof(GoodFiles))]
    public async Task Read_InlineParsing_ReaderReused_SameEventsAsDefault(string relativePath, SourceShape shape, int records)
    {
        string path = Path.Combine(RepositoryPaths.Exports, relativePath);
        ReadResult normal = Reading.File(path);
        var reader = new LogReader(new LogReaderOptions { InlineParsing = true, ChunkBytes = 97, MaxRecordBytes = 1 << 20 });
        var file = new Forgewatch.Sources.Input.InputFile(path, new FileInfo(path).Length);

        for (int round = 0; round < 2; round++)
        {
            var first = new List<AuditEvent>();
            var second = new List<AuditEvent>();
            await Task.WhenAll(
                reader.ReadAsync([file], b => first.AddRange(b.Events), TestContext.Current.CancellationToken),
                reader.ReadAsync([file], b => second.AddRange(b.Events), TestContext.Current.CancellationToken));

            Assert.Equal(records, first.Count);
            Assert.Equal(normal.Events.Select(Key), first.OrderBy(e => e.Origin.ByteOffset).Select(Key));
            Assert.Equal(normal.Events.Select(Key), second.OrderBy(e => e.Origin.ByteOffset).Select(Key));
            Assert.All(first, e => Assert.Equal(shape, e.Origin.Shape));
        }
    }

    [Fact]
    public void Read_WholeExportsFolder_DuplicatesAcrossShapesShareRecordIds()
    {
        ReadResult result = Reading.File(RepositoryPaths.Exports);
        var dedup = new RecordDeduplicator();
        int duplicates = result.Events.Count(e => !dedup.IsFirst(e));

        // The Purview export repeats two records of the Management API content blob.
        Assert.Equal(2, duplicates);
    }

    [Fact]
    public void Read_BadLines_GoodLinesKeptBadLinesRejectedWithLine()
    {
        ReadResult result = Reading.File(Path.Combine(RepositoryPaths.Exports, "broken", "bad-lines.jsonl"));

        Assert.Equal(3, result.Events.Count);
        Assert.Equal(
            [(2L, RejectionCodes.InvalidJson), (4L, RejectionCodes.InvalidJson), (5L, RejectionCodes.UnknownSchema)],
            result.Rejections.Select(r => (r.Line, r.Code)));
        Assert.All(result.Rejections, r => Assert.False(r.FileLevel));
        Assert.All(result.Rejections, r => Assert.NotNull(r.Excerpt));
    }

    [Fact]
    public void Read_TruncatedArray_RecordsBeforeTheCutAndAFileError()
    {
        ReadResult result = Reading.File(Path.Combine(RepositoryPaths.Exports, "broken", "truncated-array.json"));

        Assert.Equal(2, result.Events.Count);
        Rejection error = Assert.Single(result.Rejections);
        Assert.True(error.FileLevel);
        Assert.Equal(RejectionCodes.Truncated, error.Code);
        Assert.True(error.ByteOffset > 0);
    }

    [Fact]
    public void Read_InvalidUtf8_TheBadLineRejectedWithItsPlaceTheOthersRead()
    {
        string path = Path.Combine(RepositoryPaths.Exports, "broken", "invalid-utf8.jsonl");
        byte[] bytes = File.ReadAllBytes(path);
        int bad = bytes.AsSpan().IndexOf([(byte)0xC3, (byte)0x28]);
        int lineStart = bytes.AsSpan(0, bad).LastIndexOf((byte)'\n') + 1;

        ReadResult result = Reading.File(path);

        // As docs/samples.md says: 2 accepted, 1 rejected.
        Assert.Equal(2, result.Events.Count);
        Rejection error = Assert.Single(result.Rejections);
        Assert.Equal(RejectionCodes.InvalidUtf8, error.Code);
        Assert.False(error.FileLevel);
        Assert.Equal(2, error.Line);
        Assert.Equal(lineStart, error.ByteOffset);
        Assert.Contains($"at byte {bad - lineStart} of the record", error.Reason, StringComparison.Ordinal);
    }
}
