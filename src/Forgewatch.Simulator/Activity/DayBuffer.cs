using System.Buffers;
using System.Collections.Concurrent;
using Forgewatch.Simulator.Records;

namespace Forgewatch.Simulator.Activity;

/// <summary>
/// The records of one simulated day, from every tenant, benign and malicious, waiting to be written in
/// time order. Only one day is held at a time: the output is never in memory as a whole. A record is
/// written as JSON the moment it is added, on the thread that made it (people are simulated side by side,
/// so that is every core), into a buffer of that thread's: its text depends on the record alone, so the
/// bytes do not depend on the thread, and the record itself is garbage at once. Records outside the
/// simulated period (people east or west of UTC begin or end their day outside it) are not kept.
/// </summary>
internal sealed class DayBuffer(DateTime start, DateTime end) : IDisposable
{
    /// <summary>A thread starts a new buffer once its current one holds this much.</summary>
    private const int ChunkBytes = 1 << 20;

    private readonly ConcurrentBag<JsonLine> _free = [];
    private readonly ThreadLocal<ThreadDay> _threads = new(() => new ThreadDay(), trackAllValues: true);

    public RecordRef Add(MailAccess access) =>
        Add(access, new RecordRef(access.Time, access.Id), SimLog.Ual, static (a, line) => RecordJson.Write(a, line));

    public RecordRef Add(SignIn signIn) =>
        Add(signIn, new RecordRef(signIn.Time, signIn.Id), SimLog.SignIns, static (s, line) => RecordJson.Write(s, line));

    public RecordRef Add(AdminOperation operation) =>
        Add(operation, new RecordRef(operation.Time, Guid.Parse(operation.Id)), SimLog.Ual, static (o, line) => RecordJson.Write(o, line));

    /// <summary>The day's records with their JSON, in no particular order (<see cref="EncodedDay.Sort"/> puts
    /// them in order); empties the buffer for the next day. Not to be called while records are being added.</summary>
    public EncodedDay Take()
    {
        int count = _threads.Values.Sum(t => t.Records.Count);
        PendingRecord[] all = ArrayPool<PendingRecord>.Shared.Rent(count);
        List<JsonLine> chunks = [];
        int filled = 0;
        foreach (ThreadDay thread in _threads.Values)
        {
            thread.Records.CopyTo(all, filled);
            filled += thread.Records.Count;
            chunks.AddRange(thread.Chunks);
            thread.Clear();
        }

        return new EncodedDay(all, count, [.. chunks], _free);
    }

    public void Dispose() => _threads.Dispose();

    /// <summary>Writes <paramref name="record"/> as JSON into the calling thread's buffer and keeps it,
    /// unless it falls outside the period; returns its reference either way.</summary>
    private RecordRef Add<T>(T record, RecordRef reference, SimLog log, Action<T, JsonLine> write)
    {
        if (reference.Time >= start && reference.Time < end)
        {
            ThreadDay thread = _threads.Value!;
            JsonLine line = thread.Chunk(_free);
            int offset = line.Length;
            write(record, line);
            thread.Records.Add(new PendingRecord(reference, log, line, offset, line.Length - offset));
        }

        return reference;
    }

    /// <summary>What one thread has added to the day: its records and the buffers holding their JSON. No
    /// thread waits for another while adding.</summary>
    private sealed class ThreadDay
    {
        public List<PendingRecord> Records { get; } = [];

        public List<JsonLine> Chunks { get; } = [];

        /// <summary>This thread's buffer for the day, a new one when it has none or its own is full.</summary>
        public JsonLine Chunk(ConcurrentBag<JsonLine> free)
        {
            if (Chunks.Count == 0 || Chunks[^1].Length >= ChunkBytes)
            {
                JsonLine line = free.TryTake(out JsonLine? reused) ? reused : new JsonLine(ChunkBytes + (ChunkBytes / 8));
                line.Clear();
                Chunks.Add(line);
            }

            return Chunks[^1];
        }

        public void Clear()
        {
            Records.Clear();
            Chunks.Clear();
        }
    }
}
