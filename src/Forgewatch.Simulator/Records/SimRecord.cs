namespace Forgewatch.Simulator.Records;

/// <summary>Which log a record belongs to (which file it goes to).</summary>
internal enum SimLog
{
    /// <summary>Unified audit log.</summary>
    Ual,

    /// <summary>Entra ID sign-ins.</summary>
    SignIns,
}

/// <summary>One record ready to write: its time and id (the order of the output) and its JSON (UTF-8, one
/// line, no line end). <see cref="Malformed"/> records are written as they are and must be rejected by
/// readers.</summary>
internal readonly record struct SimRecord(DateTime Time, Guid Id, SimLog Log, ReadOnlyMemory<byte> Json, bool Malformed = false)
{
    /// <summary>The record's id as the vendors write it; a malformed copy's has <c>~</c> after it.</summary>
    public string TextId => Malformed ? Id + "~" : Id.ToString();
}

/// <summary>A record added to a day, by the time and id it will be written and scored under.</summary>
internal readonly record struct RecordRef(DateTime Time, Guid Id);
