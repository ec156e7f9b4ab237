namespace Forgewatch.Core.Engine.Snapshots;

/// <summary>Why a snapshot could not be written or read. Stable: a host may act on it (rebuild state from
/// the stored history when a snapshot is of another <see cref="Version"/>, say).</summary>
public enum SnapshotFailure
{
    /// <summary>The bytes end before the snapshot does.</summary>
    Truncated,
    /// <summary>The bytes are not a snapshot of this kind, or fail the checksum, or do not read back.</summary>
    Corrupt,
    /// <summary>The snapshot was written in another format version.</summary>
    Version,
    /// <summary>The snapshot holds other detections (ids or order) than those it is read into.</summary>
    DetectionsDiffer,
    /// <summary>A detection keeps state but cannot write it (does not implement <see cref="ISnapshotState"/>).</summary>
    NotSupported,
}

/// <summary>A snapshot could not be written or read; <see cref="Failure"/> says why.</summary>
public sealed class SnapshotException : Exception
{
    public SnapshotException()
    {
    }

    public SnapshotException(string message)
        : base(message)
    {
    }

    public SnapshotException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SnapshotException(SnapshotFailure failure, string message, Exception? innerException = null)
        : base(message, innerException) => Failure = failure;

    public SnapshotFailure Failure { get; } = SnapshotFailure.Corrupt;
}
