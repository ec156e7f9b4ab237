namespace Forgewatch.Core.Engine.Snapshots;

/// <summary>
/// A detection whose state can be written to a snapshot and read back, so that a host can stop and resume
/// it (<see cref="EngineSnapshot"/>). Whatever the detection's future findings depend on must be written,
/// including the order of collections it emits findings in; caches that are rebuilt from the context give
/// the same answers and may be left out. A detection with instance fields that does not implement this is
/// refused by <see cref="EngineSnapshot.Write"/>, so that a new detection cannot silently lose its state.
/// </summary>
public interface ISnapshotState
{
    /// <summary>Writes the state, field by field.</summary>
    void WriteState(SnapshotWriter writer);

    /// <summary>Replaces the state with what <see cref="WriteState"/> wrote, reading the same fields in the
    /// same order. Called on a fresh detection.</summary>
    void ReadState(SnapshotReader reader);
}
