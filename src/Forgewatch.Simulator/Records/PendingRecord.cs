namespace Forgewatch.Simulator.Records;

/// <summary>A record of the day not yet in the files: where it goes in the output (time, id), which log
/// it belongs to, and where its JSON is (<paramref name="Length"/> bytes at <paramref name="Offset"/> in
/// <paramref name="Line"/>, whose buffer may still grow until the day is taken).</summary>
internal readonly record struct PendingRecord(RecordRef Ref, SimLog Log, JsonLine Line, int Offset, int Length);
