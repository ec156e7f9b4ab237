using System.Collections.Concurrent;
using System.Threading.Channels;
using Forgewatch.Sources.Framing;
using Forgewatch.Sources.Input;
using Forgewatch.Sources.Normalization;

namespace Forgewatch.Sources.Pipeline;

/// <summary>
/// Reads log files of every supported shape into normalized events. Files are framed concurrently, each
/// by the framer its content calls for; chunks of records go through a bounded channel to parsing
/// workers, and each worker hands its batch to the caller itself, one worker at a time, while the events
/// are still in its cache. With several cores, a framer that finds the workers behind parses a chunk
/// itself rather than wait, so there is one worker fewer than <see cref="LogReaderOptions.Parallelism"/>. Memory stays bounded however large the input: a slow
/// consumer holds its worker, the channel fills, and the reading slows down. Faults in one file become
/// rejections and never stop the others.
/// </summary>
public sealed class LogReader(LogReaderOptions? options = null)
{
    private readonly LogReaderOptions _options = options ?? new LogReaderOptions();

    /// <summary>Parsers (each with its caches, costly to build) kept for the next read: a reader that reads many
    /// small inputs one after the other, or several at once, builds one per thread that parses at a time.</summary>
    private readonly ConcurrentBag<ChunkParser> _parsers = [];

    /// <summary>Live counters for progress display; reset by each <see cref="ReadAsync"/> (of the last one started,
    /// when several run at once).</summary>
    public ReadProgress Progress { get; private set; } = new();

    /// <summary>
    /// Reads <paramref name="files"/> and calls <paramref name="onBatch"/> for each batch, from one
    /// thread at a time (the caller's consumer needs no locking, though it runs on the reader's threads).
    /// Batches of one file may arrive in any order relative to each other; events carry their file
    /// position. If <paramref name="onBatch"/> throws, the read stops and the exception is rethrown.
    /// </summary>
    public async Task ReadAsync(IReadOnlyList<InputFile> files, Action<ReadBatch> onBatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(onBatch);
        Progress = new ReadProgress { TotalBytes = files.Sum(f => f.Length), TotalFiles = files.Count };
        ReadProgress progress = Progress;

        var chunks = Channel.CreateBounded<RecordChunk>(new BoundedChannelOptions(_options.Parallelism * 2) { SingleReader = false });
        using var failure = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        CancellationToken token = failure.Token;
        var deliver = new BatchDelivery(onBatch, failure);

        // With several cores, the framing threads parse too whenever the workers are behind (the chunk
        // channel is full), instead of waiting: so Parallelism threads are busy, not one more, and no
        // core is shared by two threads (a collection then waits for a descheduled thread).
        bool framersParse = _options.Parallelism > 1 || _options.InlineParsing;
        int workerCount = _options.InlineParsing ? 0 : framersParse ? _options.Parallelism - 1 : 1;
        ConcurrentBag<ChunkParser> parsers = _parsers;

        Task framing = Task.Run(
            async () =>
            {
                try
                {
                    await Parallel.ForEachAsync(
                        files,
                        new ParallelOptions { MaxDegreeOfParallelism = _options.FilesAtOnce, CancellationToken = token },
                        (file, ct) =>
                        {
                            var target = new ChannelChunkTarget(chunks.Writer, framersParse ? chunk => ParseAndDeliver(parsers, chunk, progress, deliver) : null, _options.InlineParsing);
                            if (FrameFile(file, target, progress, ct) is { } fileError)
                            {
                                deliver.Deliver(fileError);
                            }

                            progress.FileDone();
                            return ValueTask.CompletedTask;
                        }).ConfigureAwait(false);
                }
                finally
                {
                    chunks.Writer.TryComplete();
                }

                // The framing thread then helps drain the chunks still queued rather than leave the
                // last of them to the workers alone (a core idle at the end of every file set).
                while (framersParse && !token.IsCancellationRequested && chunks.Reader.TryRead(out RecordChunk? chunk))
                {
                    ParseAndDeliver(parsers, chunk, progress, deliver);
                }
            },
            token);

        // Workers are threads of their own that wait for chunks without giving the thread up: a parse
        // continued on whichever pool thread is free finds its caches on another core (measured: a few
        // percent more CPU per pass, and more scatter).
        Task[] workers = new Task[workerCount];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Factory.StartNew(
                () =>
                {
                    ChannelReader<RecordChunk> reader = chunks.Reader;
                    while (reader.WaitToReadAsync(token).AsTask().GetAwaiter().GetResult())
                    {
                        while (reader.TryRead(out RecordChunk? chunk))
                        {
                            ParseAndDeliver(parsers, chunk, progress, deliver);
                        }
                    }
                },
                token,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }

        try
        {
            await Task.WhenAll(workers.Append(framing)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Report the fault that stopped the read (the consumer's, a worker's, or the caller's
            // cancellation), not the cancellations it caused in the other tasks.
            await failure.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(workers.Append(framing)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (deliver.Fault is { } fault)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(fault);
            }

            cancellationToken.ThrowIfCancellationRequested();
            Exception? first = workers.Append(framing).Select(t => t.Exception?.GetBaseException()).FirstOrDefault(x => x is not null and not OperationCanceledException);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first ?? e);
        }
    }

    /// <summary>Parses a chunk with a parser from the pool (each holds per-thread caches) and hands on the batch.</summary>
    private static void ParseAndDeliver(ConcurrentBag<ChunkParser> parsers, RecordChunk chunk, ReadProgress progress, BatchDelivery deliver)
    {
        ChunkParser parser = parsers.TryTake(out ChunkParser? pooled) ? pooled : new ChunkParser();
        ReadBatch batch;
        try
        {
            batch = parser.Parse(chunk);
        }
        finally
        {
            chunk.Release();
            parsers.Add(parser);
        }

        progress.AddRecords(batch.Events.Count, batch.Rejections.Count);
        deliver.Deliver(batch);
    }

    /// <summary>Hands batches to the consumer one at a time; remembers the consumer's fault and stops the read.</summary>
    private sealed class BatchDelivery(Action<ReadBatch> onBatch, CancellationTokenSource failure)
    {
        private readonly Lock _gate = new();

        public Exception? Fault { get; private set; }

        public void Deliver(ReadBatch batch)
        {
            lock (_gate)
            {
                if (Fault is not null)
                {
                    throw new OperationCanceledException(failure.Token);
                }

                try
                {
                    onBatch(batch);
                }
                catch (Exception e)
                {
                    Fault = e;
                    failure.Cancel();
                    throw;
                }
            }
        }
    }

    /// <summary>Frames one file; a fault that stops it is returned as a file-level rejection.</summary>
    private ReadBatch? FrameFile(InputFile file, IChunkTarget target, ReadProgress progress, CancellationToken cancellationToken)
    {
        string source = file.Path;
        ContentOpener? opened = null;
        try
        {
            opened = ContentOpener.Open(file, progress.AddBytes);
            InputFormat format = FormatSniffer.Sniff(opened.Head.Span, out string description);
            switch (format)
            {
                case InputFormat.Empty:
                    break;
                case InputFormat.JsonLines:
                    // Each line's UTF-8 is checked as it is parsed: a bad line is rejected and the rest read.
                    opened.Validator.Checking = false;
                    new JsonLinesFramer(source, _options.ChunkBytes, _options.MaxRecordBytes).Run(opened.Content, target, cancellationToken);
                    break;
                case InputFormat.JsonDocument:
                    new JsonDocumentFramer(source, _options.ChunkBytes, _options.MaxRecordBytes).Run(opened.Content, target, cancellationToken);
                    break;
                case InputFormat.UalCsv:
                    new CsvRowsFramer(source, _options.ChunkBytes, _options.MaxRecordBytes).Run(opened.Content, target, cancellationToken);
                    break;
                case InputFormat.SentinelCsv:
                    new SentinelCsvFramer(source, _options.ChunkBytes, _options.MaxRecordBytes).Run(opened.Content, target, cancellationToken);
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

    /// <summary>Posts chunks to the workers; when they are behind, either parses the chunk here
    /// (<paramref name="parseHere"/>) or waits, which is the backpressure. With <paramref name="always"/>, every
    /// chunk is parsed here (<see cref="LogReaderOptions.InlineParsing"/>).</summary>
    private sealed class ChannelChunkTarget(ChannelWriter<RecordChunk> writer, Action<RecordChunk>? parseHere, bool always) : IChunkTarget
    {
        public void Post(RecordChunk chunk, CancellationToken cancellationToken)
        {
            if (always && parseHere is not null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                parseHere(chunk);
                return;
            }

            if (writer.TryWrite(chunk))
            {
                return;
            }

            if (parseHere is not null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                parseHere(chunk);
                return;
            }

            // Framers are synchronous stream readers; blocking here is the backpressure.
            writer.WriteAsync(chunk, cancellationToken).AsTask().GetAwaiter().GetResult();
        }
    }
}
