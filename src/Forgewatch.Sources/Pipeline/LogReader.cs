using System.Threading.Channels;
using Forgewatch.Sources.Framing;
using Forgewatch.Sources.Input;
using Forgewatch.Sources.Normalization;

namespace Forgewatch.Sources.Pipeline;

/// <summary>
/// Reads log files of every supported shape into normalized events. Files are framed concurrently, each
/// by the framer its content calls for; chunks of records go through a bounded channel to parsing
/// workers (one per core), and their batches through a second bounded channel to the caller, so memory
/// stays bounded however large the input: a slow consumer slows the reading down rather than filling
/// memory. Faults in one file become rejections and never stop the others.
/// </summary>
public sealed class LogReader(LogReaderOptions? options = null)
{
    private readonly LogReaderOptions _options = options ?? new LogReaderOptions();

    /// <summary>Live counters for progress display; reset by each <see cref="ReadAsync"/>.</summary>
    public ReadProgress Progress { get; private set; } = new();

    /// <summary>
    /// Reads <paramref name="files"/> and calls <paramref name="onBatch"/> for each batch, from one
    /// thread at a time (the caller's consumer needs no locking). Batches of one file may arrive in any
    /// order relative to each other; events carry their file position.
    /// </summary>
    public async Task ReadAsync(IReadOnlyList<InputFile> files, Action<ReadBatch> onBatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(onBatch);
        Progress = new ReadProgress { TotalBytes = files.Sum(f => f.Length), TotalFiles = files.Count };
        ReadProgress progress = Progress;

        var chunks = Channel.CreateBounded<RecordChunk>(new BoundedChannelOptions(_options.Parallelism * 2) { SingleReader = false });
        var batches = Channel.CreateBounded<ReadBatch>(new BoundedChannelOptions(_options.Parallelism * 4) { SingleReader = true });
        using var failure = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        CancellationToken token = failure.Token;
        var target = new ChannelChunkTarget(chunks.Writer);

        Task framing = Task.Run(
            async () =>
            {
                try
                {
                    await Parallel.ForEachAsync(
                        files,
                        new ParallelOptions { MaxDegreeOfParallelism = _options.FilesAtOnce, CancellationToken = token },
                        async (file, ct) =>
                        {
                            ReadBatch? fileError = FrameFile(file, target, progress, ct);
                            if (fileError is not null)
                            {
                                await batches.Writer.WriteAsync(fileError, ct).ConfigureAwait(false);
                            }

                            progress.FileDone();
                        }).ConfigureAwait(false);
                }
                finally
                {
                    chunks.Writer.TryComplete();
                }
            },
            token);

        Task[] workers = new Task[_options.Parallelism];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(
                async () =>
                {
                    var parser = new ChunkParser();
                    await foreach (RecordChunk chunk in chunks.Reader.ReadAllAsync(token).ConfigureAwait(false))
                    {
                        ReadBatch batch;
                        try
                        {
                            batch = parser.Parse(chunk);
                        }
                        finally
                        {
                            chunk.Release();
                        }

                        progress.AddRecords(batch.Events.Count, batch.Rejections.Count);
                        await batches.Writer.WriteAsync(batch, token).ConfigureAwait(false);
                    }
                },
                token);
        }

        Task producers = Task.WhenAll(workers.Append(framing)).ContinueWith(
            t =>
            {
                batches.Writer.TryComplete(t.Exception?.GetBaseException());
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        try
        {
            await foreach (ReadBatch batch in batches.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                onBatch(batch);
            }
        }
        catch
        {
            // Stop the producers and let them finish, but report the fault that stopped the read,
            // not the cancellations it caused.
            await failure.CancelAsync().ConfigureAwait(false);
            await producers.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        await producers.ConfigureAwait(false);
    }

    /// <summary>Frames one file; a fault that stops it is returned as a file-level rejection.</summary>
    private ReadBatch? FrameFile(InputFile file, IChunkTarget target, ReadProgress progress, CancellationToken cancellationToken)
    {
        string source = file.Path;
        ContentOpener? opened = null;
        try
        {
            opened = ContentOpener.Open(file.Path, progress.AddBytes);
            InputFormat format = FormatSniffer.Sniff(opened.Head.Span, out string description);
            switch (format)
            {
                case InputFormat.Empty:
                    break;
                case InputFormat.JsonLines:
                    new JsonLinesFramer(source, _options.ChunkBytes, _options.MaxRecordBytes).Run(opened.Content, target, cancellationToken);
                    break;
                case InputFormat.JsonDocument:
                    new JsonDocumentFramer(source, _options.ChunkBytes, _options.MaxRecordBytes).Run(opened.Content, target, cancellationToken);
                    break;
                case InputFormat.UalCsv or InputFormat.SentinelCsv:
                    new CsvFramer(source, _options.ChunkBytes, _options.MaxRecordBytes, format).Run(opened.Content, target, cancellationToken);
                    break;
                default:
                    return FileError(source, RejectionCodes.UnrecognizedFormat, 0, 0, $"Not a format Forgewatch reads: the content {description}. Expected JSON, JSON Lines, or a CSV export with an AuditData column or Sentinel OfficeActivity columns.");
            }

            return Utf8Error(source, opened);
        }
        catch (FramingException e)
        {
            // Content cut short at invalid UTF-8 looks truncated to the framer: report the cause.
            return Utf8Error(source, opened) ?? FileError(source, e.Code, e.Line, e.ByteOffset, $"Stopped reading the file: {e.Message}.");
        }
        catch (InvalidDataException e)
        {
            return FileError(source, RejectionCodes.CorruptCompression, 0, -1, $"Stopped reading the file: the gzip data is corrupt or truncated ({e.Message}); records before that point were read.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FileError(source, RejectionCodes.FileUnreadable, 0, -1, $"Could not read the file: {e.Message}");
        }
        finally
        {
            opened?.Dispose();
        }
    }

    private static ReadBatch? Utf8Error(string source, ContentOpener? opened) =>
        opened?.Validator.Error is { } e
            ? FileError(source, RejectionCodes.InvalidUtf8, 0, e.ByteOffset, $"Stopped reading the file: it is not UTF-8 text ({e.Message}); the lines before it were read, the rest of the file was not.")
            : null;

    private static ReadBatch FileError(string source, string code, long line, long offset, string reason) =>
        new(source, [], [new Rejection(source, line, offset, code, reason, null, FileLevel: true)]);

    private sealed class ChannelChunkTarget(ChannelWriter<RecordChunk> writer) : IChunkTarget
    {
        public void Post(RecordChunk chunk, CancellationToken cancellationToken)
        {
            // Framers are synchronous stream readers; blocking here is the backpressure.
            if (!writer.TryWrite(chunk))
            {
                writer.WriteAsync(chunk, cancellationToken).AsTask().GetAwaiter().GetResult();
            }
        }
    }
}
