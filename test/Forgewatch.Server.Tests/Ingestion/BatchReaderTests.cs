using Forgewatch.Server.Ingestion;
using Forgewatch.Testing;

namespace Forgewatch.Server.Tests.Ingestion;

/// <summary>A body is read the same whether it is held in memory or spilled to a file, the limit holds either
/// way, and no file stays behind.</summary>
public class BatchReaderTests
{
    private static readonly string UalJsonLines = Path.Combine(RepositoryPaths.Exports, "ual", "collector", "ual-2023-06-07.jsonl");
    private static readonly string UalGzip = Path.Combine(RepositoryPaths.Exports, "ual", "collector", "ual-2023-06-05.jsonl.gz");

    [Theory]
    [InlineData(nameof(UalJsonLines))]
    [InlineData(nameof(UalGzip))]
    public async Task InMemoryAndSpilled_SameEvents_NoFileLeft(string name)
    {
        string path = name == nameof(UalGzip) ? UalGzip : UalJsonLines;
        byte[] body = File.ReadAllBytes(path);
        string incoming = Path.Combine(Path.GetTempPath(), "forgewatch-batch-tests", Guid.NewGuid().ToString("N"));

        BatchContent inMemory = await new BatchReader(incoming, body.Length).ReadAsync(new MemoryStream(body), CancellationToken.None);
        BatchContent declared = await new BatchReader(incoming, body.Length).ReadAsync(new MemoryStream(body), body.Length, CancellationToken.None);
        // Three copies (past the first 64 KiB buffer), the repeats dropped as duplicates within the batch.
        byte[] thrice = [.. body, .. body, .. body];
        BatchContent growing = await new BatchReader(incoming, thrice.Length, inMemoryBytes: 1 << 20).ReadAsync(new TrickleStream(thrice), CancellationToken.None);
        BatchContent spilled = await new BatchReader(incoming, body.Length, inMemoryBytes: 1024).ReadAsync(new MemoryStream(body), CancellationToken.None);

        Assert.True(body.Length > 1024);
        Assert.NotEmpty(inMemory.Events);
        Assert.Empty(inMemory.Rejections);
        Assert.Equal(inMemory.Events.Select(e => e.RecordId), spilled.Events.Select(e => e.RecordId));
        Assert.Equal(inMemory.Events.Select(e => e.RecordId), declared.Events.Select(e => e.RecordId));
        Assert.Equal(inMemory.Events.Select(e => e.RecordId), growing.Events.Select(e => e.RecordId));
        Assert.Equal(2 * inMemory.Events.Count, growing.DuplicatesInBatch);
        Assert.Equal((long)body.Length, spilled.Bytes);
        Assert.True(Directory.Exists(incoming), "the spilled body went through the incoming folder");
        Assert.Empty(Directory.EnumerateFiles(incoming));
    }

    [Theory]
    [InlineData(1 << 20)]
    [InlineData(1024)]
    public async Task OneByteOverTheLimit_TooLarge_NoFileLeft(int inMemoryBytes)
    {
        byte[] body = File.ReadAllBytes(UalJsonLines);
        string incoming = Path.Combine(Path.GetTempPath(), "forgewatch-batch-tests", Guid.NewGuid().ToString("N"));

        BatchContent over = await new BatchReader(incoming, body.Length - 1, inMemoryBytes: inMemoryBytes).ReadAsync(new MemoryStream(body), CancellationToken.None);
        BatchContent exact = await new BatchReader(incoming, body.Length, inMemoryBytes: inMemoryBytes).ReadAsync(new MemoryStream(body), CancellationToken.None);

        Assert.True(over.OverLimit);
        Assert.Null(over.OverRecordLimit);
        Assert.False(exact.OverLimit);
        Assert.NotEmpty(exact.Events);
        Assert.False(Directory.Exists(incoming) && Directory.EnumerateFiles(incoming).Any());
    }

    /// <summary>A body that comes a few bytes at a time and declares no length: the buffer must grow.</summary>
    private sealed class TrickleStream(byte[] content) : MemoryStream(content, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 777));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 777)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 777)], cancellationToken);
    }
}
