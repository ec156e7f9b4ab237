namespace Forgewatch.Sources.Pipeline;

/// <summary>Settings of a <see cref="LogReader"/>.</summary>
public sealed record LogReaderOptions
{
    /// <summary>Parsing workers; defaults to the number of cores.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>How many files are framed at once.</summary>
    public int FilesAtOnce { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Bytes handed to a worker at a time.</summary>
    public int ChunkBytes { get; init; } = 1 << 20;

    /// <summary>Largest single record accepted; larger ones are rejected. Log data is attacker-controlled,
    /// and one endless line must not take the memory of the scan.</summary>
    public int MaxRecordBytes { get; init; } = 8 << 20;
}
