using Forgewatch.Simulator.Records;

namespace Forgewatch.Simulator.Activity;

/// <summary>
/// The records of one simulated day, from every tenant, benign and malicious, waiting to be written in
/// time order. Only one day is held at a time: the output is never in memory as a whole. Records are
/// kept as what they say until the day is complete, then written as JSON on every core at once (each
/// record's text depends on the record alone, so the bytes do not depend on which thread wrote them).
/// </summary>
internal sealed class DayBuffer : IDisposable
{
    private readonly List<(RecordRef Ref, SimLog Log, object Record)> _records = [];
    private readonly ThreadLocal<RecordJson> _json = new(() => new RecordJson(), trackAllValues: true);

    public int Count => _records.Count;

    public RecordRef Add(MailAccess access) => Add(new RecordRef(access.Time, access.Id), SimLog.Ual, access);

    public RecordRef Add(SignIn signIn) => Add(new RecordRef(signIn.Time, signIn.Id), SimLog.SignIns, signIn);

    public RecordRef Add(AdminOperation operation) => Add(new RecordRef(operation.Time, operation.Id), SimLog.Ual, operation);

    /// <summary>The day's records by time, then id (ids are unique), as JSON; empties the buffer.</summary>
    public List<SimRecord> TakeSorted()
    {
        _records.Sort(static (a, b) =>
        {
            int order = a.Ref.Time.CompareTo(b.Ref.Time);
            return order != 0 ? order : string.CompareOrdinal(a.Ref.Id, b.Ref.Id);
        });
        var written = new SimRecord[_records.Count];
        Parallel.For(0, written.Length, i =>
        {
            (RecordRef _, SimLog _, object record) = _records[i];
            written[i] = _json.Value!.Write(record);
        });
        _records.Clear();
        return [.. written];
    }

    public void Dispose()
    {
        foreach (RecordJson json in _json.Values)
        {
            json.Dispose();
        }

        _json.Dispose();
    }

    /// <summary>Safe from several threads (people are simulated side by side): the order records are added
    /// in does not matter, since the day is sorted by time and id before it is written.</summary>
    private RecordRef Add(RecordRef reference, SimLog log, object record)
    {
        lock (_records)
        {
            _records.Add((reference, log, record));
        }

        return reference;
    }
}
