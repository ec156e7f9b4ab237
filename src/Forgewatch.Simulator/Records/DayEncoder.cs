using System.Collections.Concurrent;

namespace Forgewatch.Simulator.Records;

/// <summary>
/// Writes a sorted day of records as JSON on every core: the day is cut into blocks of consecutive
/// records, each block written into one buffer of its own. Each record's text depends on the record
/// alone, so the bytes do not depend on which thread wrote them. Buffers are reused from day to day:
/// a day's buffers go back with <see cref="EncodedDay.Release"/> once its records are in the files.
/// </summary>
internal sealed class DayEncoder
{
    /// <summary>Records per block: enough to keep the threads busy between hand-offs, few enough that
    /// both cores get work on a small day.</summary>
    private const int BlockSize = 512;

    private readonly ConcurrentBag<JsonLine> _free = [];

    /// <summary>
    /// The JSON of <paramref name="records"/>, in their order. After the record at
    /// <paramref name="malformedAfter"/> (none when negative) comes a malformed copy: its first half,
    /// a JSON text cut short, under the id with <c>~</c> added.
    /// </summary>
    public EncodedDay Encode(IReadOnlyList<PendingRecord> records, int malformedAfter)
    {
        int blocks = (records.Count + BlockSize - 1) / BlockSize;
        var lines = new JsonLine[blocks];
        var written = new List<SimRecord>[blocks];
        Parallel.For(0, blocks, block =>
        {
            JsonLine line = _free.TryTake(out JsonLine? reused) ? reused : new JsonLine();
            line.Clear();
            int first = block * BlockSize;
            int end = Math.Min(first + BlockSize, records.Count);
            var spans = new (int Start, int Length)[end - first];
            for (int i = first; i < end; i++)
            {
                int start = line.Length;
                RecordJson.Write(records[i].Record, line);
                spans[i - first] = (start, line.Length - start);
            }

            // Only now is the buffer final: it may have grown while the block was written.
            var blockRecords = new List<SimRecord>(spans.Length + 1);
            for (int i = first; i < end; i++)
            {
                (RecordRef reference, SimLog log, object _) = records[i];
                (int start, int length) = spans[i - first];
                ReadOnlyMemory<byte> json = line.Buffer.AsMemory(start, length);
                blockRecords.Add(new SimRecord(reference.Time, reference.Id, log, json));
                if (i == malformedAfter)
                {
                    blockRecords.Add(new SimRecord(reference.Time, reference.Id + "~", log, json[..(length / 2)], Malformed: true));
                }
            }

            lines[block] = line;
            written[block] = blockRecords;
        });
        return new EncodedDay([.. written.SelectMany(b => b)], lines, _free);
    }
}
