using System.Text;
using Forgewatch.Sources.Input;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Sources.Tests.Pipeline;

/// <summary>
/// Workers hand their batches to the consumer themselves: one at a time, every batch, and a consumer's
/// fault or the caller's cancellation stops the read and is what the caller sees.
/// </summary>
public sealed class BatchDeliveryTests : IDisposable
{
    private readonly List<string> _paths = [];

    public void Dispose()
    {
        foreach (string path in _paths)
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ReadAsync_SeveralWorkersAndFiles_BatchesOneAtATimeAndNoneLost()
    {
        IReadOnlyList<InputFile> files = Files(count: 4, records: 400);
        int inside = 0;
        int most = 0;
        long events = 0;
        var options = new LogReaderOptions { Parallelism = 2, FilesAtOnce = 2, ChunkBytes = 16 * 1024 };

        await new LogReader(options).ReadAsync(files, batch =>
        {
            int now = Interlocked.Increment(ref inside);
            most = Math.Max(most, now);
            Thread.SpinWait(2000);
            events += batch.Events.Count;
            Interlocked.Decrement(ref inside);
        }, TestContext.Current.CancellationToken);

        Assert.Equal(1, most);
        Assert.Equal(4 * 400, events);
    }

    [Fact]
    public async Task ReadAsync_ConsumerThrows_ReadStopsAndTheConsumersExceptionIsThrown()
    {
        IReadOnlyList<InputFile> files = Files(count: 2, records: 2000);
        int calls = 0;
        var options = new LogReaderOptions { Parallelism = 2, ChunkBytes = 16 * 1024 };

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => new LogReader(options).ReadAsync(files, _ =>
        {
            if (++calls == 3)
            {
                throw new InvalidOperationException("consumer failed");
            }
        }, TestContext.Current.CancellationToken));

        Assert.Equal("consumer failed", thrown.Message);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task ReadAsync_ConsumerFailsToWrite_ThatIOExceptionIsThrownNotAFileError()
    {
        // The consumer may run on a framing thread (which parses when the workers are behind); its I/O
        // fault must stop the read as the consumer's, not pass for a failure to read an input file.
        IReadOnlyList<InputFile> files = Files(count: 3, records: 3000);
        var options = new LogReaderOptions { Parallelism = 2, FilesAtOnce = 3, ChunkBytes = 8 * 1024 };
        int calls = 0;

        var thrown = await Assert.ThrowsAsync<IOException>(() => new LogReader(options).ReadAsync(files, _ =>
        {
            if (Interlocked.Increment(ref calls) == 5)
            {
                throw new IOException("disk full");
            }
        }, TestContext.Current.CancellationToken));

        Assert.Equal("disk full", thrown.Message);
    }

    [Fact]
    public async Task ReadAsync_CallerCancels_OperationCanceled()
    {
        IReadOnlyList<InputFile> files = Files(count: 2, records: 2000);
        using var cancel = new CancellationTokenSource();
        var options = new LogReaderOptions { Parallelism = 2, ChunkBytes = 16 * 1024 };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new LogReader(options).ReadAsync(files, _ => cancel.Cancel(), cancel.Token));
    }

    private List<InputFile> Files(int count, int records)
    {
        var files = new List<InputFile>();
        for (int f = 0; f < count; f++)
        {
            var text = new StringBuilder();
            for (int r = 0; r < records; r++)
            {
                text.AppendLine(Records.MailItemsAccessed(id: $"00000000-0000-4000-8000-{f:D4}{r:D8}"));
            }

            string path = Reading.TempFile(Encoding.UTF8.GetBytes(text.ToString()));
            _paths.Add(path);
            files.Add(new InputFile(path, new FileInfo(path).Length));
        }

        return files;
    }
}
