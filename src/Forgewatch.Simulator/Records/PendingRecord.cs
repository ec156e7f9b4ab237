namespace Forgewatch.Simulator.Records;

/// <summary>A record of the day not yet written: where it goes in the output (time, id), which log it
/// belongs to, and what it says (a <see cref="MailAccess"/>, <see cref="SignIn"/> or <see cref="AdminOperation"/>).</summary>
internal readonly record struct PendingRecord(RecordRef Ref, SimLog Log, object Record);
