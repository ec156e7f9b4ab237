using Forgewatch.Core.Events;
using Forgewatch.Sources.Input;
using Forgewatch.Sources.Pipeline;

namespace Forgewatch.Server.Ingestion;

/// <summary>
/// Reads one pushed batch with the same readers as <c>scan</c>: the body is copied first (the readers tell its
/// shape and any gzip from its first bytes, as they do for files), in memory up to
/// <see cref="InMemoryBytes"/> and beyond that in a file of the data folder's <c>incoming</c> folder, deleted
/// after. Returns the events, de-duplicated within the batch, and every rejection.
/// </summary>
public sealed class BatchReader(string incomingDirectory, long maxBodyBytes, int maxRecords = BatchReader.DefaultMaxRecords, int inMemoryBytes = BatchReader.InMemoryBytes)
{
    /// <summary>One reader for every batch, so that its parsers are built once, not per request.</summary>
    private readonly LogReader _reader = new(new LogReaderOptions { InlineParsing = true, FilesAtOnce = 1 });

    /// <summary>Bodies up to this size are read from memory; larger ones are spilled to a file.</summary>
    public const int InMemoryBytes = 16 << 20;

    /// <summary>Records a batch may hold once decompressed: a small gzip body can hold a great many records,
    /// and a batch is held in memory until it is committed.</summary>
    public const int DefaultMaxRecords = 500_000;

    /// <summary>Rejections shown in a 400 answer; the count says how many there were in all.</summary>
    public const int MaxShownRejections = 20;

    public Task<BatchContent> ReadAsync(Stream body, CancellationToken cancellationToken) => ReadAsync(body, null, cancellationToken);

    /// <summary>Reads a body whose <c>Content-Length</c> is <paramref name="declaredBytes"/> when it has one: a hint
    /// for the buffer, the limit holds whatever it says.</summary>
    public async Task<BatchContent> ReadAsync(Stream body, long? declaredBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        using SpooledBody spooled = await SpooledBody.ReadAsync(body, declaredBytes, incomingDirectory, maxBodyBytes, inMemoryBytes, cancellationToken).ConfigureAwait(false);
        long length = spooled.Length;
        if (length < 0)
        {
            return BatchContent.TooLarge();
        }

        if (length == 0)
        {
            return new BatchContent([], [], 0, 0, false);
        }

        var events = new List<AuditEvent>();
        var rejections = new List<Rejection>();
        var deduplicator = new RecordDeduplicator();
        int duplicates = 0;
        using var tooMany = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bool overLimit = false;
        try
        {
            await _reader.ReadAsync(
                [new InputFile(spooled.FilePath ?? "request body", length) { Open = spooled.Open }],
                batch =>
                {
                    if (events.Count + duplicates + rejections.Count + batch.Events.Count + batch.Rejections.Count > maxRecords)
                    {
                        overLimit = true;
                        tooMany.Cancel();
                        return;
                    }

                    foreach (AuditEvent e in batch.Events)
                    {
                        if (deduplicator.IsFirst(e))
                        {
                            events.Add(e);
                        }
                        else
                        {
                            duplicates++;
                        }
                    }

                    rejections.AddRange(batch.Rejections);
                },
                tooMany.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (overLimit && !cancellationToken.IsCancellationRequested)
        {
            // Stopped at the record limit below.
        }

        return overLimit ? BatchContent.TooMany(maxRecords) : new BatchContent(events, rejections, duplicates, length, false);
    }
}

/// <summary>What a batch held: its events (each record id once), the records refused and why, records
/// dropped as repeats within the batch, and its size; or that it was over the byte limit
/// (<see cref="OverLimit"/>) or the record limit (<see cref="OverRecordLimit"/>).</summary>
public sealed record BatchContent(IReadOnlyList<AuditEvent> Events, IReadOnlyList<Rejection> Rejections, int DuplicatesInBatch, long Bytes, bool OverLimit, int? OverRecordLimit = null)
{
    public static BatchContent TooLarge() => new([], [], 0, 0, true);

    public static BatchContent TooMany(int limit) => new([], [], 0, 0, true, limit);
}
