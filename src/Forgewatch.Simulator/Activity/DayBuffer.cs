using Forgewatch.Simulator.Records;

namespace Forgewatch.Simulator.Activity;

/// <summary>
/// The records of one simulated day, from every tenant, benign and malicious, waiting to be written in
/// time order. Only one day is held at a time: the output is never in memory as a whole. Records are
/// kept as what they say until the day is complete; <see cref="DayEncoder"/> then writes them as JSON.
/// </summary>
internal sealed class DayBuffer
{
    private readonly List<PendingRecord> _records = [];

    public int Count => _records.Count;

    public RecordRef Add(MailAccess access) => Add(new PendingRecord(new RecordRef(access.Time, access.Id), SimLog.Ual, access));

    public RecordRef Add(SignIn signIn) => Add(new PendingRecord(new RecordRef(signIn.Time, signIn.Id), SimLog.SignIns, signIn));

    public RecordRef Add(AdminOperation operation) => Add(new PendingRecord(new RecordRef(operation.Time, operation.Id), SimLog.Ual, operation));

    /// <summary>The day's records by time, then id (ids are unique); empties the buffer.</summary>
    public List<PendingRecord> TakeSorted()
    {
        _records.Sort(static (a, b) =>
        {
            int order = a.Ref.Time.CompareTo(b.Ref.Time);
            return order != 0 ? order : string.CompareOrdinal(a.Ref.Id, b.Ref.Id);
        });
        List<PendingRecord> day = [.. _records];
        _records.Clear();
        return day;
    }

    /// <summary>Safe from several threads (people are simulated side by side): the order records are added
    /// in does not matter, since the day is sorted by time and id before it is written.</summary>
    private RecordRef Add(PendingRecord record)
    {
        lock (_records)
        {
            _records.Add(record);
        }

        return record.Ref;
    }
}
