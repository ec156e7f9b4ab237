namespace Forgewatch.Sources.Pipeline;

/// <summary>Live counters of a read, safe to poll from another thread (for a progress bar).</summary>
public sealed class ReadProgress
{
    private long _bytesRead;
    private long _records;
    private long _rejected;
    private int _filesDone;

    /// <summary>Sum of the file sizes on disk.</summary>
    public long TotalBytes { get; internal set; }

    public int TotalFiles { get; internal set; }

    /// <summary>Bytes read from disk so far (compressed bytes for gzip files).</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public long Records => Interlocked.Read(ref _records);

    public long Rejected => Interlocked.Read(ref _rejected);

    public int FilesDone => Volatile.Read(ref _filesDone);

    internal void AddBytes(long n) => Interlocked.Add(ref _bytesRead, n);

    internal void AddRecords(long records, long rejected)
    {
        Interlocked.Add(ref _records, records);
        Interlocked.Add(ref _rejected, rejected);
    }

    internal void FileDone() => Interlocked.Increment(ref _filesDone);
}
