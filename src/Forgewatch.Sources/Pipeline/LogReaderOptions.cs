namespace Forgewatch.Sources.Pipeline;

/// <summary>Settings of a <see cref="LogReader"/>.</summary>
public sealed record LogReaderOptions
{
    /// <summary>Threads that parse; defaults to the number of cores. With 1, one worker parses while the
    /// file is framed on another thread. With more, the framing threads parse too when the workers are
    /// behind, and there are <c>Parallelism - 1</c> workers.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Parse on the threads that frame, with no worker threads of the reader's own: for many small
    /// inputs read at once (a server's request bodies), where a thread per read costs more than it saves, and
    /// buffers rented on one thread are given back on it. <see cref="Parallelism"/> is then ignored.</summary>
    public bool InlineParsing { get; init; }

    /// <summary>How many files are framed at once.</summary>
    public int FilesAtOnce { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Bytes handed to a worker at a time.</summary>
    public int ChunkBytes { get; init; } = 1 << 20;

    /// <summary>Largest single record accepted; larger ones are rejected. Log data is attacker-controlled,
    /// and one endless line must not take the memory of the scan.</summary>
    public int MaxRecordBytes { get; init; } = 8 << 20;
}
