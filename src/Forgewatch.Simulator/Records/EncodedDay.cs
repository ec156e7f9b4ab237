using System.Buffers;
using System.Collections.Concurrent;

namespace Forgewatch.Simulator.Records;

/// <summary>A day's records in the order they are written (the first <paramref name="count"/> of
/// <paramref name="records"/>, an array rented from the shared pool), with their JSON, ready for the sink.
/// Their bytes live in buffers borrowed from the day buffer until <see cref="Release"/>.</summary>
internal sealed class EncodedDay(PendingRecord[] records, int count, JsonLine[] buffers, ConcurrentBag<JsonLine> free)
{
    private int _malformedAfter = -1;

    /// <summary>The day's records, without the malformed copy.</summary>
    public int Count => count;

    /// <summary>After the record at <paramref name="index"/> comes a malformed copy: its first half, a
    /// JSON text cut short, under its id with <c>~</c> added.</summary>
    public void AddMalformedAfter(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        _malformedAfter = index;
    }

    /// <summary>How many lines go to <paramref name="log"/>, the malformed copy included; and how many are
    /// malformed.</summary>
    public (long Lines, long Malformed) Lines(SimLog log)
    {
        long lines = 0;
        foreach (PendingRecord record in records.AsSpan(0, count))
        {
            lines += record.Log == log ? 1 : 0;
        }

        bool malformed = _malformedAfter >= 0 && records[_malformedAfter].Log == log;
        return (lines + (malformed ? 1 : 0), malformed ? 1 : 0);
    }

    /// <summary>The lines to write, in order.</summary>
    public IEnumerable<SimRecord> Records()
    {
        for (int i = 0; i < count; i++)
        {
            (RecordRef reference, SimLog log, JsonLine line, int offset, int length) = records[i];
            ReadOnlyMemory<byte> json = line.Buffer.AsMemory(offset, length);
            yield return new SimRecord(reference.Time, reference.Id, log, json);
            if (i == _malformedAfter)
            {
                yield return new SimRecord(reference.Time, reference.Id + "~", log, json[..(length / 2)], Malformed: true);
            }
        }
    }

    /// <summary>Gives the buffers back; the records must not be used after this.</summary>
    public void Release()
    {
        ArrayPool<PendingRecord>.Shared.Return(records, clearArray: true);
        foreach (JsonLine buffer in buffers)
        {
            free.Add(buffer);
        }
    }
}
