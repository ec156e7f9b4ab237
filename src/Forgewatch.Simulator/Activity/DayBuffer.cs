using Forgewatch.Simulator.Records;

namespace Forgewatch.Simulator.Activity;

/// <summary>
/// The records of one simulated day, from every tenant, benign and malicious, waiting to be written in
/// time order. Only one day is held at a time: the output is never in memory as a whole.
/// </summary>
internal sealed class DayBuffer : IDisposable
{
    private readonly List<SimRecord> _records = [];

    public RecordJson Json { get; } = new();

    public int Count => _records.Count;

    public void Dispose() => Json.Dispose();

    public SimRecord Add(MailAccess access) => Add(Json.Write(access));

    public SimRecord Add(SignIn signIn) => Add(Json.Write(signIn));

    public SimRecord Add(AdminOperation operation) => Add(Json.Write(operation));

    public SimRecord Add(SimRecord record)
    {
        _records.Add(record);
        return record;
    }

    /// <summary>The day's records by time, then id (ids are unique), and empties the buffer.</summary>
    public List<SimRecord> TakeSorted()
    {
        var sorted = new List<SimRecord>(_records);
        sorted.Sort(static (a, b) =>
        {
            int order = a.Time.CompareTo(b.Time);
            return order != 0 ? order : string.CompareOrdinal(a.Id, b.Id);
        });
        _records.Clear();
        return sorted;
    }
}
